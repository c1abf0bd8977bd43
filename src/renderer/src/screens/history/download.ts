/**
 * Saves text as a file. A Blob link works the same in a LAN browser and in the desktop window
 * (where Electron asks where to save), and the token never appears in a URL that a download
 * list would keep.
 */
export function saveFile(fileName: string, body: string, type: string): void {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty to start it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
