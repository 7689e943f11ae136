import sanitizeHtml from 'sanitize-html';

/**
 * Product descriptions come from merchants and from imports (Taobao HTML), so they are cleaned
 * once on write: no scripts, no event handlers, no styles that can overlay the page, http(s) only.
 */
export function sanitizeDescription(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'span', 'div', 'img', 'ul', 'ol', 'li', 'h2', 'h3', 'h4', 'blockquote', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'a', 'hr'],
    allowedAttributes: { img: ['src', 'alt', 'width', 'height'], a: ['href', 'title'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener', target: '_blank' }) },
  }).trim();
}
