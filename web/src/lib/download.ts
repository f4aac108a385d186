// Saving a file the app fetched itself (the API needs the bearer token, so a plain link cannot
// download it): the name from the server's Content-Disposition, and a temporary object URL.

// The file name of a Content-Disposition header: filename*=UTF-8''... (RFC 6266, for non-ASCII
// names) wins over filename="..."; null when there is none.
export function fileNameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1]!.trim());
    } catch {
      /* malformed escape: fall back to the plain name */
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/.exec(header);
  if (!plain) return null;
  const name = (plain[1] ?? plain[2] ?? '').replace(/\\(.)/g, '$1');
  // Never let a header pick a directory: keep only the last path segment.
  return name.split(/[\\/]/).pop() || null;
}

// Hands a blob to the browser's download mechanism. The object URL is revoked after the click
// has been processed, so repeated exports do not keep their files in memory.
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
