/**
 * Deterministic SVG illustrations for the demo catalog: flat vector drawings of product types on a
 * gradient background, no text (banners use a few ASCII words in a generic sans-serif), so no font
 * and no network is needed. The same input always gives the same bytes.
 */

export type ArtKind =
  | 'tshirt' | 'shirt' | 'dress' | 'pants' | 'hoodie' | 'cardigan'
  | 'mug' | 'bowl' | 'noodles' | 'teapot' | 'tumbler' | 'bedding' | 'towels' | 'pillow' | 'candle'
  | 'snackbag' | 'coffeebag' | 'jar' | 'honey' | 'giftbox' | 'tin'
  | 'headphones' | 'earbuds' | 'speaker' | 'powerbank' | 'watch' | 'phone'
  | 'serum' | 'tube' | 'cream' | 'lipstick' | 'perfume'
  | 'babybottle' | 'bear' | 'sneaker' | 'yogamat' | 'backpack';

export interface Palette {
  /** Background gradient, light to slightly deeper. */
  bg: [string, string];
  /** Main colour of the product itself. */
  main: string;
  /** Second colour for details (labels, bands, buttons). */
  accent: string;
}

interface Ink {
  main: string;
  dark: string;
  light: string;
  accent: string;
  accentDark: string;
  line: string;
}

// ---- colour helpers ----

function rgb(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? h.split('').map((c) => c + c).join('') : h;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

function hex(c: [number, number, number]): string {
  return `#${c.map((v) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0')).join('')}`;
}

/** Mixes a toward b by t (0..1). */
export function mix(a: string, b: string, t: number): string {
  const x = rgb(a);
  const y = rgb(b);
  return hex([0, 1, 2].map((i) => x[i] + (y[i] - x[i]) * t) as [number, number, number]);
}

function luminance(c: string): number {
  const [r, g, b] = rgb(c);
  return (0.299 * r + 0.587 * g + 0.114 * b) / 255;
}

function ink(main: string, accent: string): Ink {
  const dark = luminance(main) > 0.82 ? mix(main, '#33302c', 0.55) : mix(main, '#1d1b19', 0.45);
  return { main, dark, light: mix(main, '#ffffff', 0.45), accent, accentDark: mix(accent, '#1d1b19', 0.4), line: mix(dark, '#000000', 0.15) };
}

const st = (c: Ink, w = 6) => `stroke="${c.line}" stroke-width="${w}" stroke-linejoin="round" stroke-linecap="round"`;

// ---- drawings: each fits a 400 × 400 box, resting on y ≈ 360 ----

const drawings: Record<ArtKind, (c: Ink) => string> = {
  tshirt: (c) => `
    <path d="M130 60 L170 44 Q200 78 230 44 L270 60 L346 112 L314 168 L284 150 L284 352 Q200 364 116 352 L116 150 L86 168 L54 112 Z" fill="${c.main}" ${st(c)}/>
    <path d="M170 44 Q200 92 230 44" fill="none" ${st(c)}/>
    <path d="M94 152 L116 138 M306 152 L284 138" ${st(c, 4)}/>
    <rect x="226" y="176" width="34" height="36" rx="6" fill="${c.light}" ${st(c, 4)}/>
    <path d="M130 330 Q200 340 270 330" fill="none" stroke="${c.light}" stroke-width="5" stroke-linecap="round"/>`,
  shirt: (c) => `
    <path d="M140 56 L176 44 L200 82 L224 44 L260 56 L320 96 L352 302 L318 310 L292 164 L292 352 L108 352 L108 164 L82 310 L48 302 L80 96 Z" fill="${c.main}" ${st(c)}/>
    <path d="M176 44 L200 82 L184 100 L162 62 Z M224 44 L200 82 L216 100 L238 62 Z" fill="${c.light}" ${st(c, 4)}/>
    <path d="M200 88 L200 352" ${st(c, 4)}/>
    ${[130, 180, 230, 280, 326].map((y) => `<circle cx="212" cy="${y}" r="5" fill="${c.accent}"/>`).join('')}
    <path d="M50 282 L84 290 M350 282 L316 290" ${st(c, 4)}/>
    <rect x="226" y="128" width="40" height="40" rx="4" fill="none" ${st(c, 3)}/>`,
  dress: (c) => `
    <path d="M164 40 L176 40 L182 76 Q200 92 218 76 L224 40 L236 40 L252 168 L148 168 Z" fill="${c.main}" ${st(c)}/>
    <path d="M148 168 L252 168 L326 352 Q200 380 74 352 Z" fill="${c.main}" ${st(c)}/>
    <rect x="144" y="160" width="112" height="20" rx="8" fill="${c.accent}" ${st(c, 4)}/>
    ${[[120, 300], [170, 250], [230, 280], [280, 320], [200, 330], [150, 340], [260, 220], [135, 215]].map(([x, y]) => flower(x, y, c.light, c.accent)).join('')}
    <path d="M200 182 L186 352 M200 182 L214 352" stroke="${c.dark}" stroke-width="2" opacity=".35"/>`,
  pants: (c) => `
    <path d="M128 44 L272 44 L292 356 L216 356 L200 150 L184 356 L108 356 Z" fill="${c.main}" ${st(c)}/>
    <rect x="126" y="40" width="148" height="30" rx="4" fill="${c.dark}" ${st(c, 4)}/>
    ${[150, 200, 250].map((x) => `<rect x="${x - 4}" y="38" width="8" height="36" rx="3" fill="${c.main}" ${st(c, 3)}/>`).join('')}
    <path d="M140 72 Q150 112 190 110 M260 72 Q250 112 210 110" fill="none" ${st(c, 4)}/>
    <path d="M116 330 L186 330 M214 330 L286 330" stroke="${c.light}" stroke-width="4" stroke-dasharray="8 7"/>
    <path d="M200 70 L200 130" ${st(c, 4)}/>`,
  hoodie: (c) => `
    <path d="M150 60 Q200 0 250 60 L244 92 Q200 70 156 92 Z" fill="${c.dark}" ${st(c)}/>
    <path d="M146 60 L110 80 L64 150 L50 312 L90 318 L104 180 L104 354 L296 354 L296 180 L310 318 L350 312 L336 150 L290 80 L254 60 Q200 112 146 60 Z" fill="${c.main}" ${st(c)}/>
    <path d="M200 100 L200 354" ${st(c, 5)}/>
    <path d="M186 98 L180 150 M214 98 L220 150" ${st(c, 3)}/>
    <path d="M128 250 L186 250 L186 320 L128 320 Z M214 250 L272 250 L272 320 L214 320 Z" fill="${c.light}" ${st(c, 4)}/>
    <rect x="104" y="336" width="192" height="18" fill="${c.accent}" ${st(c, 4)}/>`,
  cardigan: (c) => `
    <path d="M150 50 L112 70 L66 140 L52 316 L92 322 L104 170 L104 354 L296 354 L296 170 L308 322 L348 316 L334 140 L288 70 L250 50 L200 170 Z" fill="${c.main}" ${st(c)}/>
    <path d="M200 170 L200 354" ${st(c, 5)}/>
    ${[200, 245, 290, 330].map((y) => `<circle cx="212" cy="${y}" r="7" fill="${c.accent}" ${st(c, 3)}/>`).join('')}
    ${[130, 160, 250, 280].map((x) => `<path d="M${x} 120 L${x} 340" stroke="${c.light}" stroke-width="3" opacity=".6"/>`).join('')}
    <rect x="104" y="334" width="192" height="20" fill="${c.light}" ${st(c, 4)}/>`,
  mug: (c) => `
    <path d="M270 160 Q342 160 342 216 Q342 272 270 272" fill="none" stroke="${c.line}" stroke-width="30" stroke-linecap="round"/>
    <path d="M270 160 Q342 160 342 216 Q342 272 270 272" fill="none" stroke="${c.main}" stroke-width="18" stroke-linecap="round"/>
    <path d="M108 120 L272 120 L272 316 Q272 352 236 352 L144 352 Q108 352 108 316 Z" fill="${c.main}" ${st(c)}/>
    <ellipse cx="190" cy="120" rx="82" ry="16" fill="#6b4226" ${st(c)}/>
    <path d="M110 200 L270 200" stroke="${c.accent}" stroke-width="10"/>
    ${flower(190, 268, c.light, c.accent, 1.6)}
    ${[150, 190, 230].map((x) => `<path d="M${x} 92 Q${x - 14} 72 ${x} 56 Q${x + 14} 40 ${x} 22" fill="none" stroke="#ffffff" stroke-width="6" stroke-linecap="round" opacity=".75"/>`).join('')}`,
  bowl: (c) => bowl(c, `<ellipse cx="200" cy="190" rx="116" ry="16" fill="#f7f3ea"/>
    ${[160, 185, 210, 235].map((x, i) => `<ellipse cx="${x}" cy="${184 + (i % 2) * 6}" rx="12" ry="6" fill="#ffffff" stroke="#e2dccd" stroke-width="2"/>`).join('')}`),
  noodles: (c) => bowl(c, `<ellipse cx="200" cy="190" rx="116" ry="16" fill="#c0392b"/>
    ${[0, 1, 2, 3, 4].map((i) => `<path d="M${110 + i * 36} 190 q10 -14 20 0 t20 0" fill="none" stroke="#f4d27a" stroke-width="5" stroke-linecap="round"/>`).join('')}
    <circle cx="170" cy="182" r="9" fill="#5a8f3c"/><circle cx="236" cy="186" r="8" fill="#5a8f3c"/>`),
  teapot: (c) => `
    <path d="M140 152 Q200 56 260 152" fill="none" stroke="${c.line}" stroke-width="12" stroke-linecap="round"/>
    <path d="M112 236 Q60 224 48 168 L70 162 Q88 204 118 208" fill="${c.light}" ${st(c)}/>
    <circle cx="200" cy="244" r="108" fill="${c.light}" fill-opacity=".55" ${st(c)}/>
    <path d="M98 268 Q200 290 302 268 Q290 340 200 352 Q110 340 98 268 Z" fill="${c.accent}" opacity=".85"/>
    <ellipse cx="200" cy="144" rx="50" ry="14" fill="${c.main}" ${st(c)}/>
    <circle cx="200" cy="124" r="10" fill="${c.main}" ${st(c, 4)}/>
    <path d="M140 200 Q150 170 176 160" fill="none" stroke="#ffffff" stroke-width="8" stroke-linecap="round" opacity=".8"/>
    ${[[180, 300], [215, 315], [240, 295]].map(([x, y]) => `<path d="M${x} ${y} q8 -12 16 0 q-8 12 -16 0 Z" fill="${c.accentDark}" opacity=".6"/>`).join('')}`,
  tumbler: (c) => `
    <rect x="146" y="92" width="108" height="268" rx="32" fill="${c.main}" ${st(c)}/>
    <rect x="150" y="48" width="100" height="54" rx="16" fill="${c.dark}" ${st(c)}/>
    <rect x="146" y="120" width="108" height="14" fill="${c.accent}"/>
    <path d="M168 160 L168 320" stroke="#ffffff" stroke-width="10" stroke-linecap="round" opacity=".45"/>
    <rect x="186" y="40" width="28" height="14" rx="5" fill="${c.accent}" ${st(c, 3)}/>`,
  bedding: (c) => stack(c, [c.light, c.main, c.accent], 270),
  towels: (c) => stack(c, [c.main, c.light, c.main], 220),
  pillow: (c) => `
    <path d="M78 150 Q200 116 322 150 Q346 232 322 314 Q200 346 78 314 Q54 232 78 150 Z" fill="${c.main}" ${st(c)}/>
    <path d="M96 166 Q200 138 304 166 Q322 232 304 298 Q200 324 96 298 Q78 232 96 166 Z" fill="none" stroke="${c.light}" stroke-width="4" stroke-dasharray="10 8"/>
    <path d="M110 232 Q155 200 200 232 T290 232" fill="none" stroke="${c.accent}" stroke-width="8" stroke-linecap="round"/>`,
  candle: (c) => `
    <path d="M200 84 Q222 112 214 134 Q200 148 186 134 Q178 112 200 84 Z" fill="#ffb74d"/>
    <path d="M200 108 Q208 122 204 132 Q200 138 196 132 Q192 122 200 108 Z" fill="#fff3c4"/>
    <path d="M200 140 L200 168" ${st(c, 4)}/>
    <rect x="124" y="164" width="152" height="192" rx="22" fill="${c.light}" fill-opacity=".7" ${st(c)}/>
    <path d="M130 196 Q200 212 270 196 L270 336 Q270 350 256 350 L144 350 Q130 350 130 336 Z" fill="${c.main}"/>
    <rect x="124" y="244" width="152" height="56" fill="${c.accent}"/>
    <circle cx="200" cy="272" r="14" fill="${c.light}"/>
    <path d="M144 184 L144 230" stroke="#ffffff" stroke-width="8" stroke-linecap="round" opacity=".7"/>`,
  snackbag: (c) => `
    <path d="M118 92 L282 92 L298 350 Q200 366 102 350 Z" fill="${c.main}" ${st(c)}/>
    <path d="M112 68 ${Array.from({ length: 9 }, (_, i) => `L${121 + i * 20} ${i % 2 ? 60 : 76}`).join(' ')} L288 68 L288 96 L112 96 Z" fill="${c.dark}" ${st(c, 4)}/>
    <ellipse cx="200" cy="220" rx="70" ry="62" fill="#fffaf0" ${st(c, 4)}/>
    ${[[178, 206, '#b07a45'], [214, 198, '#8d5a2b'], [196, 236, '#d9a86c'], [226, 236, '#a0522d'], [168, 240, '#c8955c']].map(([x, y, f]) => `<ellipse cx="${x}" cy="${y}" rx="15" ry="11" fill="${f}" transform="rotate(${Number(x) % 40 - 20} ${x} ${y})"/>`).join('')}
    <rect x="112" y="300" width="176" height="20" fill="${c.accent}"/>`,
  coffeebag: (c) => `
    <path d="M122 70 L278 70 L290 352 L110 352 Z" fill="${c.main}" ${st(c)}/>
    <path d="M122 70 L278 70 L274 100 L126 100 Z" fill="${c.dark}"/>
    <circle cx="200" cy="132" r="10" fill="${c.light}" ${st(c, 3)}/>
    <ellipse cx="200" cy="236" rx="46" ry="64" fill="#6b4226" ${st(c, 5)} transform="rotate(-20 200 236)"/>
    <path d="M186 180 Q222 236 196 294" fill="none" stroke="#c8955c" stroke-width="6" stroke-linecap="round" transform="rotate(-20 200 236)"/>
    <rect x="110" y="318" width="180" height="18" fill="${c.accent}"/>`,
  jar: (c) => jar(c, '#a0673a', `${[[160, 220], [200, 200], [236, 232], [176, 268], [220, 282], [186, 316], [240, 320], [150, 300]].map(([x, y]) => `<ellipse cx="${x}" cy="${y}" rx="20" ry="14" fill="#c8955c" stroke="#7a4a22" stroke-width="3"/>`).join('')}`),
  honey: (c) => jar(c, '#f0a81c', `<path d="M200 226 l22 12 v26 l-22 12 l-22 -12 v-26 Z" fill="#ffd56b" stroke="#c27c0e" stroke-width="4"/>`),
  giftbox: (c) => `
    <rect x="92" y="176" width="216" height="178" rx="8" fill="${c.main}" ${st(c)}/>
    <rect x="80" y="140" width="240" height="50" rx="8" fill="${c.light}" ${st(c)}/>
    <rect x="186" y="140" width="28" height="214" fill="${c.accent}" ${st(c, 4)}/>
    <path d="M200 140 Q150 80 130 116 Q120 144 200 140 Z M200 140 Q250 80 270 116 Q280 144 200 140 Z" fill="${c.accent}" ${st(c, 4)}/>
    ${[[130, 260], [270, 260], [140, 320], [260, 320]].map(([x, y]) => flower(x, y, c.light, c.accent, 0.9)).join('')}`,
  tin: (c) => `
    <rect x="128" y="118" width="144" height="238" rx="10" fill="${c.main}" ${st(c)}/>
    <rect x="122" y="86" width="156" height="50" rx="10" fill="${c.dark}" ${st(c)}/>
    <rect x="128" y="190" width="144" height="100" fill="${c.light}"/>
    <path d="M200 208 Q244 230 200 274 Q156 230 200 208 Z" fill="${c.accent}" ${st(c, 3)}/>
    <path d="M200 214 L200 268" stroke="${c.accentDark}" stroke-width="3"/>
    <path d="M148 130 L148 340" stroke="#ffffff" stroke-width="8" stroke-linecap="round" opacity=".35"/>`,
  headphones: (c) => `
    <path d="M92 236 Q92 64 200 64 Q308 64 308 236" fill="none" stroke="${c.line}" stroke-width="26" stroke-linecap="round"/>
    <path d="M92 236 Q92 64 200 64 Q308 64 308 236" fill="none" stroke="${c.main}" stroke-width="14" stroke-linecap="round"/>
    <rect x="62" y="196" width="66" height="130" rx="30" fill="${c.main}" ${st(c)}/>
    <rect x="272" y="196" width="66" height="130" rx="30" fill="${c.main}" ${st(c)}/>
    <rect x="112" y="212" width="26" height="98" rx="12" fill="${c.dark}"/>
    <rect x="262" y="212" width="26" height="98" rx="12" fill="${c.dark}"/>
    <circle cx="95" cy="261" r="12" fill="${c.accent}"/>
    <circle cx="305" cy="261" r="12" fill="${c.accent}"/>`,
  earbuds: (c) => `
    <rect x="112" y="196" width="176" height="150" rx="66" fill="${c.main}" ${st(c)}/>
    <path d="M114 250 L286 250" ${st(c, 4)}/>
    <circle cx="200" cy="290" r="6" fill="${c.accent}"/>
    ${[[150, 110, -1], [250, 110, 1]].map(([x, y, s]) => `<g transform="translate(${x} ${y}) scale(${s} 1)"><circle cx="0" cy="0" r="30" fill="${c.main}" ${st(c)}/><rect x="-10" y="16" width="20" height="62" rx="10" fill="${c.main}" ${st(c)}/><circle cx="-6" cy="-4" r="12" fill="${c.dark}"/></g>`).join('')}`,
  speaker: (c) => `
    <path d="M160 96 Q160 60 200 60 Q240 60 240 96" fill="none" stroke="${c.line}" stroke-width="12" stroke-linecap="round"/>
    <rect x="118" y="88" width="164" height="268" rx="72" fill="${c.main}" ${st(c)}/>
    ${Array.from({ length: 7 }, (_, r) => Array.from({ length: 5 }, (_, k) => `<circle cx="${152 + k * 24}" cy="${150 + r * 28}" r="6" fill="${c.dark}" opacity=".55"/>`).join('')).join('')}
    <rect x="170" y="98" width="60" height="14" rx="7" fill="${c.accent}"/>`,
  powerbank: (c) => `
    <path d="M200 352 Q200 384 260 380 Q330 374 330 320 L330 250" fill="none" stroke="${c.line}" stroke-width="8" stroke-linecap="round"/>
    <rect x="318" y="222" width="24" height="40" rx="6" fill="${c.accent}" ${st(c, 3)}/>
    <rect x="124" y="66" width="152" height="284" rx="26" fill="${c.main}" ${st(c)}/>
    <rect x="140" y="82" width="120" height="120" rx="16" fill="${c.light}" opacity=".6"/>
    ${[0, 1, 2, 3].map((i) => `<circle cx="${170 + i * 20}" cy="300" r="6" fill="${i < 3 ? c.accent : c.light}"/>`).join('')}
    <rect x="184" y="338" width="32" height="10" rx="4" fill="${c.dark}"/>`,
  watch: (c) => `
    <rect x="160" y="30" width="80" height="120" rx="18" fill="${c.dark}" ${st(c)}/>
    <rect x="160" y="250" width="80" height="116" rx="18" fill="${c.dark}" ${st(c)}/>
    ${[300, 324, 348].map((y) => `<circle cx="200" cy="${y}" r="5" fill="${c.light}"/>`).join('')}
    <rect x="128" y="116" width="144" height="168" rx="42" fill="${c.main}" ${st(c)}/>
    <rect x="142" y="130" width="116" height="140" rx="32" fill="#1c1c1e"/>
    <circle cx="200" cy="200" r="44" fill="none" stroke="${c.accent}" stroke-width="10" stroke-dasharray="210 80" stroke-linecap="round"/>
    <circle cx="200" cy="200" r="28" fill="none" stroke="#7ed957" stroke-width="10" stroke-dasharray="120 60" stroke-linecap="round"/>
    <rect x="270" y="170" width="12" height="34" rx="5" fill="${c.main}" ${st(c, 3)}/>`,
  phone: (c) => `
    <rect x="118" y="46" width="164" height="316" rx="34" fill="${c.main}" ${st(c)}/>
    <rect x="138" y="66" width="78" height="78" rx="20" fill="${c.dark}"/>
    <circle cx="160" cy="88" r="13" fill="#1c1c1e" stroke="${c.light}" stroke-width="3"/>
    <circle cx="194" cy="88" r="13" fill="#1c1c1e" stroke="${c.light}" stroke-width="3"/>
    <circle cx="160" cy="122" r="13" fill="#1c1c1e" stroke="${c.light}" stroke-width="3"/>
    <circle cx="200" cy="232" r="50" fill="none" stroke="${c.light}" stroke-width="6"/>
    <path d="M200 182 L200 200" stroke="${c.light}" stroke-width="6"/>
    <rect x="282" y="120" width="8" height="46" rx="3" fill="${c.accent}"/>`,
  serum: (c) => `
    <ellipse cx="200" cy="78" rx="28" ry="38" fill="${c.dark}" ${st(c)}/>
    <rect x="164" y="108" width="72" height="40" rx="8" fill="${c.accent}" ${st(c)}/>
    <rect x="172" y="144" width="56" height="30" fill="${c.light}" ${st(c, 4)}/>
    <rect x="132" y="170" width="136" height="188" rx="28" fill="${c.main}" fill-opacity=".8" ${st(c)}/>
    <rect x="150" y="226" width="100" height="76" rx="8" fill="#ffffff" opacity=".85"/>
    <path d="M170 252 L230 252 M170 276 L214 276" stroke="${c.dark}" stroke-width="6" stroke-linecap="round"/>
    <path d="M148 190 L148 330" stroke="#ffffff" stroke-width="8" stroke-linecap="round" opacity=".55"/>`,
  tube: (c) => `
    <path d="M136 54 L264 54 L246 296 L154 296 Z" fill="${c.main}" ${st(c)}/>
    <path d="M136 54 L264 54 L262 78 L138 78 Z" fill="${c.light}" ${st(c, 4)}/>
    ${[150, 175, 200, 225, 250].map((x) => `<path d="M${x} 58 L${x} 74" stroke="${c.dark}" stroke-width="3"/>`).join('')}
    <rect x="160" y="150" width="80" height="90" rx="10" fill="#ffffff" opacity=".85"/>
    ${bubble(182, 180, 14, c.accent)}${bubble(214, 204, 10, c.accent)}${bubble(190, 218, 8, c.accent)}
    <rect x="158" y="292" width="84" height="66" rx="12" fill="${c.accent}" ${st(c)}/>`,
  cream: (c) => `
    <rect x="98" y="212" width="204" height="142" rx="30" fill="${c.main}" ${st(c)}/>
    <rect x="92" y="160" width="216" height="62" rx="22" fill="${c.accent}" ${st(c)}/>
    <path d="M112 176 L288 176" stroke="#ffffff" stroke-width="6" stroke-linecap="round" opacity=".5"/>
    <rect x="140" y="254" width="120" height="60" rx="10" fill="#ffffff" opacity=".8"/>
    <circle cx="200" cy="284" r="16" fill="${c.accent}" opacity=".8"/>
    <path d="M118 240 L118 330" stroke="#ffffff" stroke-width="8" stroke-linecap="round" opacity=".45"/>`,
  lipstick: (c) => `
    <g transform="rotate(14 290 270)"><rect x="258" y="180" width="68" height="150" rx="8" fill="${c.accent}" ${st(c)}/><rect x="258" y="296" width="68" height="12" fill="${c.accentDark}"/></g>
    <path d="M170 196 L170 112 Q170 96 186 88 L230 66 L230 196 Z" fill="${c.main}" ${st(c)}/>
    <rect x="162" y="190" width="76" height="40" rx="4" fill="${c.accent}" ${st(c)}/>
    <rect x="154" y="226" width="92" height="132" rx="8" fill="${c.accentDark}" ${st(c)}/>
    <path d="M176 120 L176 180" stroke="#ffffff" stroke-width="6" stroke-linecap="round" opacity=".45"/>`,
  perfume: (c) => `
    <rect x="164" y="74" width="72" height="62" rx="8" fill="${c.accent}" ${st(c)}/>
    <rect x="180" y="130" width="40" height="26" fill="${c.light}" ${st(c, 4)}/>
    <rect x="112" y="152" width="176" height="206" rx="34" fill="${c.main}" fill-opacity=".75" ${st(c)}/>
    <path d="M118 236 Q200 252 282 236 L282 324 Q282 352 254 352 L146 352 Q118 352 118 324 Z" fill="${c.dark}" opacity=".35"/>
    <rect x="160" y="210" width="80" height="56" rx="6" fill="#ffffff" opacity=".85"/>
    <path d="M132 172 L132 320" stroke="#ffffff" stroke-width="9" stroke-linecap="round" opacity=".55"/>`,
  babybottle: (c) => `
    <path d="M176 122 Q176 60 200 52 Q224 60 224 122 Z" fill="#f3d9b1" ${st(c)}/>
    <rect x="138" y="116" width="124" height="40" rx="10" fill="${c.accent}" ${st(c)}/>
    <rect x="146" y="152" width="108" height="206" rx="30" fill="${c.light}" fill-opacity=".65" ${st(c)}/>
    <path d="M150 240 L250 240 L250 328 Q250 354 224 354 L176 354 Q150 354 150 328 Z" fill="#fffdf5"/>
    ${[190, 220, 250, 280, 310].map((y, i) => `<path d="M232 ${y} L${i % 2 ? 246 : 252} ${y}" ${st(c, 3)}/>`).join('')}
    <path d="M164 172 L164 300" stroke="#ffffff" stroke-width="8" stroke-linecap="round" opacity=".7"/>`,
  bear: (c) => `
    <circle cx="144" cy="78" r="30" fill="${c.main}" ${st(c)}/><circle cx="256" cy="78" r="30" fill="${c.main}" ${st(c)}/>
    <circle cx="144" cy="78" r="14" fill="${c.light}"/><circle cx="256" cy="78" r="14" fill="${c.light}"/>
    <ellipse cx="200" cy="282" rx="96" ry="82" fill="${c.main}" ${st(c)}/>
    <circle cx="130" cy="340" r="30" fill="${c.main}" ${st(c)}/><circle cx="270" cy="340" r="30" fill="${c.main}" ${st(c)}/>
    <ellipse cx="200" cy="292" rx="52" ry="46" fill="${c.light}"/>
    <circle cx="200" cy="136" r="74" fill="${c.main}" ${st(c)}/>
    <ellipse cx="200" cy="160" rx="34" ry="26" fill="${c.light}"/>
    <ellipse cx="200" cy="150" rx="11" ry="8" fill="#3b2a20"/>
    <circle cx="172" cy="122" r="7" fill="#3b2a20"/><circle cx="228" cy="122" r="7" fill="#3b2a20"/>
    <path d="M190 170 Q200 178 210 170" fill="none" stroke="#3b2a20" stroke-width="4" stroke-linecap="round"/>
    <path d="M200 214 L168 198 L168 230 Z M200 214 L232 198 L232 230 Z" fill="${c.accent}" ${st(c, 3)}/>`,
  sneaker: (c) => `
    <path d="M58 290 Q56 214 118 200 L188 184 Q226 232 300 240 Q350 250 352 296 Z" fill="${c.main}" ${st(c)}/>
    <path d="M46 292 L356 292 Q366 336 332 344 L72 344 Q40 338 46 292 Z" fill="#fafafa" ${st(c)}/>
    <path d="M52 318 L358 318" stroke="${c.accent}" stroke-width="6"/>
    <path d="M110 268 Q200 300 300 252" fill="none" stroke="${c.accent}" stroke-width="12" stroke-linecap="round"/>
    ${[0, 1, 2, 3].map((i) => `<path d="M${160 + i * 18} ${202 + i * 10} L${184 + i * 18} ${192 + i * 10}" stroke="#ffffff" stroke-width="6" stroke-linecap="round"/>`).join('')}
    <path d="M62 236 Q80 210 100 206" fill="none" ${st(c, 5)}/>`,
  yogamat: (c) => `
    <path d="M90 200 L300 200 L300 330 L90 330 Z" fill="${c.main}" ${st(c)}/>
    <path d="M300 330 L372 344 L372 364 L94 364 L90 330 Z" fill="${c.light}" ${st(c)}/>
    <ellipse cx="300" cy="265" rx="36" ry="65" fill="${c.light}" ${st(c)}/>
    <path d="M300 265 m-6 0 a6 8 0 1 1 12 0 a14 20 0 1 1 -28 0 a22 32 0 1 1 44 0 a28 44 0 1 1 -56 0" fill="none" stroke="${c.dark}" stroke-width="4"/>
    <rect x="150" y="196" width="20" height="138" fill="${c.accent}" ${st(c, 3)}/>
    <rect x="226" y="196" width="20" height="138" fill="${c.accent}" ${st(c, 3)}/>`,
  backpack: (c) => `
    <path d="M168 96 Q168 52 200 52 Q232 52 232 96" fill="none" stroke="${c.line}" stroke-width="14" stroke-linecap="round"/>
    <rect x="106" y="88" width="188" height="270" rx="54" fill="${c.main}" ${st(c)}/>
    <path d="M118 160 Q200 130 282 160" fill="none" ${st(c, 4)}/>
    <rect x="138" y="226" width="124" height="100" rx="22" fill="${c.dark}" ${st(c, 5)}/>
    <path d="M154 250 L246 250" stroke="${c.accent}" stroke-width="5" stroke-linecap="round"/>
    <rect x="190" y="240" width="20" height="22" rx="4" fill="${c.accent}"/>
    <circle cx="200" cy="150" r="6" fill="${c.accent}"/>`,
};

function flower(x: number, y: number, petal: string, centre: string, scale = 1): string {
  const r = 7 * scale;
  const d = 8 * scale;
  return `<g transform="translate(${x} ${y})">${[0, 72, 144, 216, 288].map((a) => `<circle cx="${round(Math.cos((a * Math.PI) / 180) * d)}" cy="${round(Math.sin((a * Math.PI) / 180) * d)}" r="${round(r)}" fill="${petal}"/>`).join('')}<circle r="${round(r * 0.8)}" fill="${centre}"/></g>`;
}

function bubble(x: number, y: number, r: number, colour: string): string {
  return `<circle cx="${x}" cy="${y}" r="${r}" fill="none" stroke="${colour}" stroke-width="3"/>`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function bowl(c: Ink, filling: string): string {
  return `
    <path d="M244 40 L350 170 M268 34 L364 162" stroke="#8d6e4c" stroke-width="9" stroke-linecap="round"/>
    <path d="M70 190 L330 190 Q322 328 200 340 Q78 328 70 190 Z" fill="${c.main}" ${st(c)}/>
    <ellipse cx="200" cy="190" rx="130" ry="24" fill="${c.light}" ${st(c)}/>
    ${filling}
    <path d="M98 250 Q124 236 150 250 T202 250 T254 250 T306 250" fill="none" stroke="${c.accent}" stroke-width="6" stroke-linecap="round"/>
    <rect x="158" y="334" width="84" height="22" rx="6" fill="${c.dark}" ${st(c, 4)}/>`;
}

function stack(c: Ink, fills: string[], width: number): string {
  const x = 200 - width / 2;
  return fills.map((f, i) => {
    const y = 296 - i * 66;
    return `<rect x="${x + i * 6}" y="${y}" width="${width - i * 12}" height="62" rx="18" fill="${f}" ${st(c)}/>
      <path d="M${x + 24 + i * 6} ${y + 44} L${x + width - 24 - i * 6} ${y + 44}" stroke="#ffffff" stroke-width="4" stroke-dasharray="10 8" opacity=".7"/>`;
  }).join('') + `<rect x="${x + width - 70}" y="${296 - 2 * 66 - 4}" width="24" height="198" fill="${c.accent}" opacity=".9"/>`;
}

function jar(c: Ink, content: string, inside: string): string {
  return `
    <rect x="118" y="132" width="164" height="226" rx="42" fill="${content}" fill-opacity=".9" ${st(c)}/>
    ${inside}
    <rect x="132" y="96" width="136" height="44" rx="8" fill="${c.main}" ${st(c)}/>
    ${[150, 170, 190, 210, 230, 250].map((x) => `<path d="M${x} 104 L${x} 132" stroke="${c.dark}" stroke-width="3"/>`).join('')}
    <path d="M136 164 L136 320" stroke="#ffffff" stroke-width="9" stroke-linecap="round" opacity=".5"/>
    <rect x="118" y="330" width="164" height="14" fill="${c.accent}" opacity=".8"/>`;
}

// ---- compositions ----

function svg(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${body.replace(/\n\s+/g, '\n')}\n</svg>\n`;
}

function gradient(id: string, from: string, to: string, x2 = 1, y2 = 1): string {
  return `<linearGradient id="${id}" x1="0" y1="0" x2="${x2}" y2="${y2}"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient>`;
}

/** A small deterministic number from a string, for placing decorations. */
function seed(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

function drawing(kind: ArtKind, main: string, accent: string, transform: string): string {
  return `<g transform="${transform}">${drawings[kind](ink(main, accent))}</g>`;
}

export type ProductShot = 'hero' | 'angle' | 'detail';

/**
 * An 800 × 800 product picture. "hero": the product centred on its gradient; "angle": tilted on
 * a dotted backdrop; "detail": a close-up in a round frame, or a line-up of the given colours.
 */
export function productSvg(kind: ArtKind, palette: Palette, shot: ProductShot, key: string, lineup: string[] = []): string {
  const s = seed(`${key}:${shot}`);
  const [bg1, bg2] = palette.bg;
  const shadow = `<ellipse cx="400" cy="606" rx="210" ry="24" fill="${mix(bg2, '#000000', 0.5)}" opacity=".18"/>`;
  if (shot === 'hero') {
    const cx = 560 + (s % 120);
    const cy = 150 + ((s >> 8) % 90);
    return svg(800, 800, `<defs>${gradient('bg', bg1, bg2)}</defs>
      <rect width="800" height="800" fill="url(#bg)"/>
      <circle cx="${cx}" cy="${cy}" r="210" fill="#ffffff" opacity=".2"/>
      <circle cx="${110 + ((s >> 4) % 60)}" cy="${650 + ((s >> 12) % 60)}" r="130" fill="#ffffff" opacity=".14"/>
      ${shadow}
      ${drawing(kind, palette.main, palette.accent, 'translate(130 116) scale(1.35)')}`);
  }
  if (shot === 'angle') {
    return svg(800, 800, `<defs>${gradient('bg', bg2, bg1, 0, 1)}
      <pattern id="dots" width="40" height="40" patternUnits="userSpaceOnUse"><circle cx="20" cy="20" r="3" fill="#ffffff" opacity=".35"/></pattern></defs>
      <rect width="800" height="800" fill="url(#bg)"/>
      <rect width="800" height="800" fill="url(#dots)"/>
      <rect x="90" y="520" width="620" height="180" rx="90" fill="#ffffff" opacity=".22"/>
      ${shadow}
      ${drawing(kind, palette.main, palette.accent, 'rotate(-9 400 400) translate(140 130) scale(1.3)')}`);
  }
  if (lineup.length > 1) {
    const n = Math.min(lineup.length, 4);
    // 2 or 3 in a row; 4 as a 2 × 2 grid
    const scale = n === 2 ? 0.82 : n === 3 ? 0.62 : 0.8;
    const size = 400 * scale;
    const slots = n === 4
      ? [[70, 60], [410, 60], [70, 400], [410, 400]]
      : Array.from({ length: n }, (_, i) => [(800 - n * size) / (n + 1) * (i + 1) + i * size, 400 - size / 2]);
    const shelves = n === 4 ? [60 + size - 28, 400 + size - 28] : [400 + size / 2 - 28];
    return svg(800, 800, `<defs>${gradient('bg', mix(bg1, '#ffffff', 0.4), bg1)}</defs>
      <rect width="800" height="800" fill="url(#bg)"/>
      ${shelves.map((y) => `<rect x="40" y="${round(y)}" width="720" height="56" rx="28" fill="${mix(bg2, '#ffffff', 0.2)}" opacity=".7"/>`).join('')}
      ${lineup.slice(0, n).map((colour, i) => drawing(kind, colour, palette.accent, `translate(${round(slots[i][0])} ${round(slots[i][1])}) scale(${scale})`)).join('\n')}`);
  }
  return svg(800, 800, `<defs>${gradient('bg', bg1, bg2, 1, 0)}<clipPath id="lens"><circle cx="400" cy="400" r="290"/></clipPath></defs>
    <rect width="800" height="800" fill="url(#bg)"/>
    <circle cx="400" cy="400" r="306" fill="#ffffff" opacity=".9"/>
    <g clip-path="url(#lens)"><rect width="800" height="800" fill="${mix(bg1, '#ffffff', 0.55)}"/>
    ${drawing(kind, palette.main, palette.accent, 'translate(40 60) scale(1.9)')}</g>
    <circle cx="400" cy="400" r="290" fill="none" stroke="${palette.main}" stroke-width="6" opacity=".5"/>`);
}

/** A round category icon, 240 × 240. */
export function categorySvg(kind: ArtKind, palette: Palette): string {
  return svg(240, 240, `<defs>${gradient('bg', palette.bg[0], palette.bg[1])}</defs>
    <circle cx="120" cy="120" r="120" fill="url(#bg)"/>
    ${drawing(kind, palette.main, palette.accent, 'translate(36 32) scale(0.42)')}`);
}

export interface BannerSpec {
  bg: [string, string];
  /** ASCII only: rendered with the device's sans-serif font. */
  title: string;
  subtitle: string;
  items: Array<{ kind: ArtKind; main: string; accent: string }>;
}

/** A 750 × 320 home banner (the default theme shows banners at about 2.3 : 1): ASCII headline on the left, up to three drawings on the right. */
export function bannerSvg(spec: BannerSpec): string {
  if (/[^\x20-\x7e]/.test(spec.title + spec.subtitle)) throw new Error('banner text must be ASCII (no font is shipped for other scripts)');
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  // drawn back to front: left item, main item, front-right item
  const places = [{ i: 1, x: 380, y: 146, s: 0.36 }, { i: 0, x: 480, y: 50, s: 0.52 }, { i: 2, x: 596, y: 168, s: 0.3 }];
  return svg(750, 320, `<defs>${gradient('bg', spec.bg[0], spec.bg[1], 1, 0.4)}</defs>
    <rect width="750" height="320" fill="url(#bg)"/>
    <circle cx="640" cy="60" r="170" fill="#ffffff" opacity=".16"/>
    <circle cx="420" cy="340" r="110" fill="#ffffff" opacity=".12"/>
    <text x="56" y="142" font-family="Helvetica, Arial, sans-serif" font-size="44" font-weight="700" fill="#ffffff">${esc(spec.title)}</text>
    <text x="58" y="186" font-family="Helvetica, Arial, sans-serif" font-size="22" fill="#ffffff" opacity=".9">${esc(spec.subtitle)}</text>
    <rect x="58" y="214" width="128" height="44" rx="22" fill="#ffffff"/>
    <text x="122" y="243" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="18" font-weight="700" fill="${spec.bg[1]}">SHOP NOW</text>
    ${places.filter((p) => spec.items[p.i]).map((p) => drawing(spec.items[p.i].kind, spec.items[p.i].main, spec.items[p.i].accent, `translate(${p.x} ${p.y}) scale(${p.s})`)).join('\n')}`);
}

export const ART_KINDS = Object.keys(drawings) as ArtKind[];
