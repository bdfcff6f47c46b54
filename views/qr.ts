import QRCode from "qrcode";

/** A QR code for `url` as an SVG document (black on white, a quiet zone of 2 modules). */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, {
    type: "svg",
    margin: 2,
    errorCorrectionLevel: "M",
  });
}
