import qrcode from 'qrcode-generator';

/**
 * The link code as a QR image (a data: URL, which the CSP's img-src allows). The code is
 * Crockford base32 with dashes, all in QR's alphanumeric set, so the symbol stays small.
 */
export function linkCodeQrDataUrl(code: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(code, 'Alphanumeric');
  qr.make();
  return qr.createDataURL(6, 4);
}
