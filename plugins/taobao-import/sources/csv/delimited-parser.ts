/**
 * A streaming parser for delimited text (tab-separated Taobao Assistant exports, or comma-separated
 * ones): quoted fields with "" escapes, line breaks inside quotes, CRLF/LF/CR record ends.
 *
 * Memory is bounded by the longest record: text is fed in chunks, complete records are returned and
 * dropped. A record that grows past `maxRecordChars`, or a quote that is never closed, is reported as
 * a malformed row and parsing resumes at the next line, so one bad row never swallows the file.
 */
export type ParsedRecord =
  | { rowNo: number; fields: string[]; error?: undefined }
  | { rowNo: number; fields?: undefined; error: string };

export interface DelimitedParserOptions {
  /** Field separator; null detects it from the first record that has a tab or a comma. */
  delimiter?: '\t' | ',' | null;
  maxRecordChars?: number;
}

const QUOTE = 34; // "
const CR = 13;
const LF = 10;

export class DelimitedParser {
  private buf = '';
  /** Record number (1-based, as a spreadsheet numbers rows) of the next record. */
  private nextRowNo = 1;
  private delimiter: string | null;
  private readonly maxRecordChars: number;

  constructor(options: DelimitedParserOptions = {}) {
    this.delimiter = options.delimiter ?? null;
    this.maxRecordChars = options.maxRecordChars ?? 4 * 1024 * 1024;
  }

  get detectedDelimiter(): string | null {
    return this.delimiter;
  }

  /** Feeds text; returns the records completed by it. */
  push(text: string): ParsedRecord[] {
    this.buf = this.buf.length ? this.buf + text : text;
    return this.drain(false);
  }

  /** End of input: returns the last records. */
  end(): ParsedRecord[] {
    return this.drain(true);
  }

  private drain(final: boolean): ParsedRecord[] {
    const out: ParsedRecord[] = [];
    let pos = 0;
    const buf = this.buf;
    while (pos < buf.length) {
      if (this.delimiter === null) this.delimiter = detectDelimiter(buf, pos, final);
      if (this.delimiter === null) break; // wait for more text to see the first line
      const res = parseRecord(buf, pos, this.delimiter, final);
      if (res.kind === 'incomplete') {
        if (buf.length - pos > this.maxRecordChars) {
          pos = this.recover(buf, pos, out, `row is longer than ${this.maxRecordChars} characters (an unclosed quote?)`);
          continue;
        }
        break;
      }
      if (res.kind === 'unclosed') {
        pos = this.recover(buf, pos, out, 'a quoted field is never closed (unbalanced ")');
        continue;
      }
      const rowNo = this.nextRowNo++;
      pos = res.next;
      // blank lines are not items; they keep their row number so numbers match a spreadsheet
      if (res.fields.length === 1 && res.fields[0] === '') continue;
      out.push({ rowNo, fields: res.fields });
    }
    this.buf = pos >= buf.length ? '' : buf.slice(pos);
    return out;
  }

  /** Reports the record at `pos` as malformed and skips to the line after it starts. */
  private recover(buf: string, pos: number, out: ParsedRecord[], why: string): number {
    out.push({ rowNo: this.nextRowNo++, error: why });
    const lf = buf.indexOf('\n', pos);
    const cr = buf.indexOf('\r', pos);
    const nl = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
    if (nl < 0) return buf.length;
    return buf.charCodeAt(nl) === CR && buf.charCodeAt(nl + 1) === LF ? nl + 2 : nl + 1;
  }
}

function detectDelimiter(buf: string, pos: number, final: boolean): string | null {
  // the first line of an export is "version 1.00" with no separator: look at the first few lines
  let start = pos;
  for (let line = 0; line < 4; line++) {
    let end = buf.indexOf('\n', start);
    if (end < 0) {
      if (!final) return null;
      end = buf.length;
    }
    const text = buf.slice(start, end);
    const tabs = text.split('\t').length - 1;
    const commas = text.split(',').length - 1;
    if (tabs > 0 || commas > 0) return tabs >= commas ? '\t' : ',';
    if (end >= buf.length) break;
    start = end + 1;
  }
  return '\t';
}

type RecordResult = { kind: 'ok'; fields: string[]; next: number } | { kind: 'incomplete' } | { kind: 'unclosed' };

function parseRecord(buf: string, start: number, delimiter: string, final: boolean): RecordResult {
  const delim = delimiter.charCodeAt(0);
  const fields: string[] = [];
  let i = start;
  const n = buf.length;
  for (;;) {
    // one field
    if (i < n && buf.charCodeAt(i) === QUOTE) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = buf.indexOf('"', j);
        if (q < 0) return final ? { kind: 'unclosed' } : { kind: 'incomplete' };
        if (q + 1 >= n && !final) return { kind: 'incomplete' }; // is it "" or the closing quote?
        if (buf.charCodeAt(q + 1) === QUOTE) {
          value += buf.slice(j, q + 1);
          j = q + 2;
          continue;
        }
        value += buf.slice(j, q);
        i = q + 1;
        break;
      }
      // text after the closing quote (`"a"b`) is kept, as spreadsheets do
      const tailStart = i;
      while (i < n) {
        const c = buf.charCodeAt(i);
        if (c === delim || c === CR || c === LF) break;
        i++;
      }
      if (i > tailStart) value += buf.slice(tailStart, i);
      fields.push(value);
    } else {
      const fieldStart = i;
      while (i < n) {
        const c = buf.charCodeAt(i);
        if (c === delim || c === CR || c === LF) break;
        i++;
      }
      fields.push(buf.slice(fieldStart, i));
    }
    if (i >= n) {
      if (!final) return { kind: 'incomplete' };
      return { kind: 'ok', fields, next: n };
    }
    const c = buf.charCodeAt(i);
    if (c === delim) {
      i++;
      continue;
    }
    // end of record
    if (c === CR) {
      if (i + 1 >= n && !final) return { kind: 'incomplete' }; // CR at the end of a chunk: LF may follow
      return { kind: 'ok', fields, next: buf.charCodeAt(i + 1) === LF ? i + 2 : i + 1 };
    }
    return { kind: 'ok', fields, next: i + 1 };
  }
}
