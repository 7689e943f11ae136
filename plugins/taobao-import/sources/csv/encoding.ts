import iconv from 'iconv-lite';

/** Encodings a Taobao Assistant export comes in: UTF-16LE with a BOM (淘宝助理 5), GBK (older tools), UTF-8. */
export type ExportEncoding = 'utf-16le' | 'utf-16be' | 'utf-8' | 'gb18030';

/** How many bytes the detector wants to see before deciding (less at the end of the file is fine). */
export const DETECT_BYTES = 64 * 1024;

/**
 * Decides the encoding from the first bytes: a BOM wins; otherwise ASCII text in UTF-16 shows as every
 * other byte being zero; otherwise valid UTF-8 is UTF-8, and anything else is read as GB18030 (a
 * superset of GBK, so GBK files decode exactly).
 */
export function detectEncoding(head: Buffer): { encoding: ExportEncoding; bomLength: number } {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  const sample = head.subarray(0, Math.min(head.length, 4096));
  let zeroOdd = 0;
  let zeroEven = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) (i % 2 ? zeroOdd++ : zeroEven++);
  const pairs = Math.max(1, Math.floor(sample.length / 2));
  if (zeroOdd / pairs > 0.3 && zeroEven / pairs < 0.05) return { encoding: 'utf-16le', bomLength: 0 };
  if (zeroEven / pairs > 0.3 && zeroOdd / pairs < 0.05) return { encoding: 'utf-16be', bomLength: 0 };
  return { encoding: isUtf8(head) ? 'utf-8' : 'gb18030', bomLength: 0 };
}

/** True when the bytes are valid UTF-8 (a sequence cut off at the end of the sample is allowed). */
function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** The label merchants see in the preview. */
export function encodingLabel(e: ExportEncoding, bom: boolean): string {
  const name = e === 'gb18030' ? 'GBK/GB18030' : e.toUpperCase();
  return bom ? `${name} (BOM)` : name;
}

/**
 * Decodes a byte stream to text chunks with bounded memory: the first {@link DETECT_BYTES} decide the
 * encoding, then every chunk is decoded as it arrives (sequences split across chunks are handled by
 * the decoder). `onDetect` reports the encoding before the first chunk is yielded.
 */
export async function* decodeText(input: AsyncIterable<Buffer | string>, onDetect?: (e: ExportEncoding, bom: boolean) => void): AsyncGenerator<string> {
  let head: Buffer[] = [];
  let headLength = 0;
  const state: { decoder: ReturnType<typeof iconv.getDecoder> | null } = { decoder: null };
  const start = (): string => {
    const all = Buffer.concat(head);
    head = [];
    const { encoding, bomLength } = detectEncoding(all);
    onDetect?.(encoding, bomLength > 0);
    // stripBOM off: we strip it ourselves by length, so a stray U+FEFF later in the text stays visible
    const decoder = iconv.getDecoder(encoding, { stripBOM: false });
    state.decoder = decoder;
    return decoder.write(all.subarray(bomLength));
  };
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (state.decoder) {
      const text = state.decoder.write(buf);
      if (text) yield text;
      continue;
    }
    head.push(buf);
    headLength += buf.length;
    if (headLength >= DETECT_BYTES) {
      const text = start();
      if (text) yield text;
    }
  }
  if (!state.decoder) {
    const text = start();
    if (text) yield text;
  }
  const rest = state.decoder?.end();
  if (rest) yield rest;
}
