import { useEffect, useState } from 'react';
import type { PairingCode } from './pairing-links';
import { isPairingUrl, qrDataUrl } from './qr';

/** Whether a link points at the station's own computer, which no phone can open. */
export function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
  } catch {
    return false;
  }
}

/** A QR code that pairs a phone with one scan, with the link written out and a copy button. */
export function PairingQr({ code }: { code: PairingCode }) {
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
      {isLoopback(code.url) && (
        <p className="field-problem">
          This address works only on the station’s own computer: a phone cannot reach it. Run the station with <code>--host 0.0.0.0</code> (or set{' '}
          <code>lan.host</code>) so phones on the grow room’s network can.
        </p>
      )}
      {code.others.length > 0 && (
        <>
          <p className="row-note">If the phone is on another network, the station also answers at:</p>
          <ul className="pairing-others">
            {code.others.map((other) => (
              <li key={other}>
                <code>{other}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
