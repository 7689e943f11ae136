import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * XML of the official-account protocol, parsed with fast-xml-parser (maintained; refuses
 * prototype-polluting names) — never the `wechat` middleware, whose xml2js 0.4.17 is vulnerable to
 * prototype pollution (CVE-2023-0842). WeChat never sends a DTD, so any DOCTYPE is refused outright
 * (no entity expansion at all).
 */

export class WechatXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WechatXmlError';
  }
}

/** Flat string fields of a message (nested elements are kept as objects). */
export type XmlFields = Record<string, unknown>;

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: true });
const builder = new XMLBuilder({ cdataPropName: '__cdata', suppressEmptyNode: false });

/** Parses `<xml>…</xml>` into its fields; throws WechatXmlError for anything else. */
export function parseWechatXml(body: string): XmlFields {
  if (typeof body !== 'string' || !body.trim()) throw new WechatXmlError('empty body');
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new WechatXmlError('DTDs are not accepted');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new WechatXmlError(`malformed XML: ${valid.err.msg}`);
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(body) as Record<string, unknown>;
  } catch (err) {
    throw new WechatXmlError(`malformed XML: ${(err as Error).message}`);
  }
  const root = doc.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new WechatXmlError('the root element must be <xml>');
  return root as XmlFields;
}

/** A string field, or undefined (numbers stay strings: MsgId is a 64-bit integer). */
export function field(fields: XmlFields, name: string): string | undefined {
  const v = fields[name];
  return typeof v === 'string' ? v : v === undefined || v === null ? undefined : typeof v === 'object' ? undefined : String(v);
}

type XmlValue = string | number | { __cdata: string } | XmlObject | XmlObject[];
interface XmlObject { [key: string]: XmlValue }

/** Builds `<xml>…</xml>`: strings become CDATA, numbers plain text, objects nested elements. */
export function buildWechatXml(fields: Record<string, string | number | Record<string, unknown> | Array<Record<string, unknown>>>): string {
  const wrap = (v: unknown): XmlValue => {
    if (typeof v === 'number') return v;
    if (typeof v === 'string') return { __cdata: v };
    if (Array.isArray(v)) return v.map((x) => wrap(x) as XmlObject);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, wrap(x)])) as XmlObject;
    return { __cdata: '' };
  };
  return builder.build({ xml: wrap(fields) }) as string;
}
