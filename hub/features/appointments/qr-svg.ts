// A QR code as a small SVG, drawn synchronously from the qrcode package's module matrix so it can
// be part of a command's answer (the package's own SVG output is asynchronous).
import QRCode from 'qrcode';

export function qrSvg(text: string, quietModules = 4): string {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const full = size + 2 * quietModules;
  let path = '';
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++)
      if (qr.modules.get(r, c)) path += `M${c + quietModules} ${r + quietModules}h1v1h-1z`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" shape-rendering="crispEdges">` +
    `<rect width="${full}" height="${full}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`
  );
}
