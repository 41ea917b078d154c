/**
 * The pixels of a screenshot: a PNG (8 bits per channel, RGB or RGBA, not interlaced, as
 * Chromium writes them) decoded with node:zlib, and counts of the pixels near a colour.
 */
import { inflateSync } from 'node:zlib';

export interface Pixels {
  width: number;
  height: number;
  /** RGBA, row after row. */
  rgba: Uint8Array;
}

const SIGNATURE = '89504e470d0a1a0a';

export function decodePng(png: Buffer): Pixels {
  if (png.subarray(0, 8).toString('hex') !== SIGNATURE) throw new Error('not a PNG');
  let width = 0;
  let height = 0;
  let channels = 0;
  const compressed: Buffer[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const [depth, colourType, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      channels = colourType === 6 ? 4 : colourType === 2 ? 3 : 0;
      if (depth !== 8 || channels === 0 || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour type ${colourType}, interlace ${interlace}`);
    } else if (type === 'IDAT') compressed.push(data);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = unfilter(inflateSync(Buffer.concat(compressed)), width, height, channels);
  const rgba = new Uint8Array(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel += 1) {
    for (let channel = 0; channel < 3; channel += 1) rgba[pixel * 4 + channel] = raw[pixel * channels + channel]!;
    rgba[pixel * 4 + 3] = channels === 4 ? raw[pixel * channels + 3]! : 255;
  }
  return { width, height, rgba };
}

/** Undoes the filter of each scanline (None, Sub, Up, Average, Paeth). */
function unfilter(data: Buffer, width: number, height: number, channels: number): Uint8Array {
  const stride = width * channels;
  const out = new Uint8Array(stride * height);
  for (let row = 0; row < height; row += 1) {
    const filter = data[row * (stride + 1)];
    const line = data.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1));
    const at = row * stride;
    for (let i = 0; i < stride; i += 1) {
      const left = i >= channels ? out[at + i - channels]! : 0;
      const up = row > 0 ? out[at - stride + i]! : 0;
      const upLeft = row > 0 && i >= channels ? out[at - stride + i - channels]! : 0;
      const predictor = filter === 0 ? 0 : filter === 1 ? left : filter === 2 ? up : filter === 3 ? (left + up) >> 1 : filter === 4 ? paeth(left, up, upLeft) : Number.NaN;
      if (Number.isNaN(predictor)) throw new Error(`unknown PNG filter ${filter} in row ${row}`);
      out[at + i] = (line[i]! + predictor) & 0xff;
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** `#rrggbb` as [r, g, b]. */
export function rgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.replace('#', ''), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

/** How many opaque pixels are within `tolerance` of a colour in every channel. */
export function pixelsNear(pixels: Pixels, colour: [number, number, number], tolerance = 16): number {
  let count = 0;
  for (let i = 0; i < pixels.rgba.length; i += 4) {
    if (pixels.rgba[i + 3]! < 250) continue;
    if (colour.every((value, channel) => Math.abs(pixels.rgba[i + channel]! - value) <= tolerance)) count += 1;
  }
  return count;
}

/** How many opaque pixels are dark (every channel below 128): axis labels and ticks, not the grid. */
export function darkPixels(pixels: Pixels): number {
  let count = 0;
  for (let i = 0; i < pixels.rgba.length; i += 4) {
    if (pixels.rgba[i + 3]! >= 250 && pixels.rgba[i]! < 128 && pixels.rgba[i + 1]! < 128 && pixels.rgba[i + 2]! < 128) count += 1;
  }
  return count;
}
