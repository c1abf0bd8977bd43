import { useEffect, useState } from 'react';
import { pairingCodes, type PairingCode, type PairingLinks } from './pairing-links';
import { isPairingUrl, qrDataUrl } from './qr';

interface PairingCodesProps {
  /** Null when the links are not known to this screen. */
  links: PairingLinks | null;
  /** The desktop app: its log holds the links when this screen cannot show them. */
  desktop: boolean;
}

/** QR codes that pair a phone with one scan: a viewer link and an operator link. */
export function PairingCodes({ links, desktop }: PairingCodesProps) {
  const codes = pairingCodes(links);
  if (codes.length === 0) {
    return (
      <div className="pairing-unknown">
        <p>
          Pairing links are printed by the station when it starts (<code>npm run serve</code>) and shown here in the desktop app.
        </p>
        <p className="row-note">
          {desktop
            ? 'This version of the desktop app writes them to its log when the LAN server starts (“lan: pair a screen to watch: …”).'
            : 'A paired browser never sees other screens’ tokens; ask whoever runs the station for a link.'}
        </p>
      </div>
    );
  }
  return (
    <div className="pairing-codes">
      {codes.map((code) => (
        <PairingQr key={code.role} code={code} />
      ))}
    </div>
  );
}

function PairingQr({ code }: { code: PairingCode }) {
  const [image, setImage] = useState<{ url: string; src: string } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const valid = isPairingUrl(code.url);
  const headingId = `pairing-${code.role}`;

  useEffect(() => {
    if (!valid) return;
    let current = true;
    qrDataUrl(code.url)
      .then((src) => current && setImage({ url: code.url, src }))
      .catch((error: unknown) => current && setFailure(`the QR code could not be drawn (${error instanceof Error ? error.message : String(error)})`));
    return () => {
      current = false;
    };
  }, [code.url, valid]);

  const copy = () => {
    void navigator.clipboard?.writeText(code.url).then(() => setCopied(true));
  };

  return (
    <section className="pairing-code" aria-labelledby={headingId} data-role={code.role}>
      <h3 id={headingId}>{code.title}</h3>
      <p className="row-note">{code.explains}</p>
      {!valid ? (
        <p className="field-problem">This is not a web address, so there is no code for it: {code.url}</p>
      ) : image?.url === code.url ? (
        <img className="pairing-qr" src={image.src} width={192} height={192} alt={`QR code: ${code.title.toLowerCase()}`} />
      ) : (
        <p className="empty pairing-qr-placeholder">{failure ?? 'Drawing the QR code…'}</p>
      )}
      <p className="pairing-url">
        <code>{code.url}</code>
      </p>
      <button type="button" onClick={copy} aria-label={`Copy the ${code.role} link`}>
        {copied ? 'Copied' : 'Copy link'}
      </button>
    </section>
  );
}
