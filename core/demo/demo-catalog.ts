import type { ArtKind, BannerSpec, Palette } from './demo-art.js';

/** A spec value; `colour` tints the picture of that variant, `add` is added to the base price (fen). */
export interface DemoSpecValue {
  value: string;
  colour?: string;
  add?: number;
}

export interface DemoProduct {
  slug: string;
  title: string;
  subtitle: string;
  category: string;
  art: ArtKind;
  palette: Palette;
  specs: Array<{ name: string; values: DemoSpecValue[] }>;
  /** Price of the cheapest combination, fen. */
  price: number;
  /** Struck-through price of the cheapest combination, fen (deltas are added the same way). */
  originalPrice?: number;
  /** "low": 0-5 left of every variant. */
  stock?: 'low';
  /** Spec combinations that are sold out, e.g. [["黑色", "XXL"]]. */
  soldOut?: string[][];
  featured?: boolean;
  listed?: boolean;
  salesCount: number;
  sku: string;
  weightGrams: number;
  intro: string[];
  points: string[];
  params: Array<[string, string]>;
}

export interface DemoCategory {
  slug: string;
  name: string;
  art: ArtKind;
  palette: Palette;
  children?: Array<{ slug: string; name: string }>;
}

const pal = (bg1: string, bg2: string, main: string, accent: string): Palette => ({ bg: [bg1, bg2], main, accent });

const v = (...values: string[]): DemoSpecValue[] => values.map((value) => ({ value }));
const priced = (...pairs: Array<[string, number]>): DemoSpecValue[] => pairs.map(([value, add]) => ({ value, add }));
const colours = (...pairs: Array<[string, string]>): DemoSpecValue[] => pairs.map(([value, colour]) => ({ value, colour }));

export const DEMO_CATEGORIES: DemoCategory[] = [
  { slug: 'apparel', name: '服饰', art: 'tshirt', palette: pal('#ffe3e3', '#ffb4b4', '#ffffff', '#ff6b6b'), children: [{ slug: 'womens', name: '女装' }, { slug: 'mens', name: '男装' }] },
  { slug: 'home', name: '家居', art: 'mug', palette: pal('#e3f4ea', '#a8dcc0', '#5fa97f', '#f2c14e'), children: [{ slug: 'tableware', name: '杯具餐具' }, { slug: 'textiles', name: '家纺' }] },
  { slug: 'food', name: '美食', art: 'honey', palette: pal('#fff4d6', '#ffd98a', '#e07a3f', '#7a4a22'), children: [{ slug: 'snacks', name: '休闲零食' }, { slug: 'tea-coffee', name: '茶饮冲调' }] },
  { slug: 'digital', name: '数码', art: 'headphones', palette: pal('#e2ecff', '#a9c1f5', '#3d5a98', '#ffb703'), children: [{ slug: 'audio', name: '耳机音响' }, { slug: 'accessories', name: '数码配件' }] },
  { slug: 'beauty', name: '美妆', art: 'lipstick', palette: pal('#fde2ec', '#f5a8c5', '#c2185b', '#d4a373'), children: [{ slug: 'skincare', name: '护肤' }, { slug: 'makeup', name: '彩妆香氛' }] },
  { slug: 'baby', name: '母婴', art: 'bear', palette: pal('#fff1e0', '#ffd3a5', '#c68b59', '#7fc8f8') },
  { slug: 'sports', name: '运动户外', art: 'sneaker', palette: pal('#e0f7f4', '#94ddd2', '#2a9d8f', '#e9c46a') },
];

const CLOTHING_NOTE = '尺码为平铺手工测量，误差 1-2 cm 属正常范围；拿不准尺码可联系客服，按身高体重帮您推荐。';
const FOOD_NOTE = '食品类商品一经签收，非质量问题不支持退换；收到后请尽快食用，开封后密封保存。';

export const DEMO_PRODUCTS: DemoProduct[] = [
  // ---- 女装 ----
  {
    slug: 'floral-midi-dress', title: '法式碎花中长款连衣裙', subtitle: '雪纺双层内衬 · 收腰显瘦 · 春夏通勤约会都好穿', category: 'womens', art: 'dress',
    palette: pal('#e8f0fb', '#b9cfee', '#7d9bb5', '#f2c14e'),
    specs: [{ name: '颜色', values: colours(['雾霾蓝', '#7d9bb5'], ['奶油白', '#f3ead8'], ['豆沙粉', '#d79a9a']) }, { name: '尺码', values: v('S', 'M', 'L', 'XL') }],
    price: 25900, originalPrice: 32900, featured: true, salesCount: 1268, sku: 'WD2401', weightGrams: 320, soldOut: [['豆沙粉', 'S']],
    intro: ['小碎花配柔软雪纺，走起路来裙摆轻轻晃动。V 领与收腰设计修饰肩颈和腰线，长度落在小腿中段，通勤和周末约会都合适。', '双层设计，内衬为亲肤涤纶，不透不闷；后背隐形拉链，穿脱方便。'],
    points: ['双层雪纺，不透光', '收腰 A 字版型，遮肉显高', '可机洗，建议装入洗衣袋'],
    params: [['面料', '聚酯纤维 100%'], ['裙长', '中长款（约 112 cm）'], ['适合季节', '春、夏'], ['产地', '浙江杭州']],
  },
  {
    slug: 'high-waist-jeans', title: '高腰直筒牛仔裤 微弹显瘦款', subtitle: '水洗做旧 · 高腰包臀 · 直筒遮腿型', category: 'womens', art: 'pants',
    palette: pal('#e6eef7', '#b3c7dd', '#6d8fb8', '#e9c46a'),
    specs: [{ name: '颜色', values: colours(['浅蓝', '#8fb1d9'], ['复古蓝', '#3f5f8a']) }, { name: '尺码', values: v('25', '26', '27', '28', '29') }],
    price: 18900, originalPrice: 22900, salesCount: 2384, sku: 'WJ2402', weightGrams: 560,
    intro: ['经典直筒版型，高腰线拉长比例。棉质面料里加入少量氨纶，久坐不勒、蹲下不紧。', '做旧水洗工艺，颜色自然，越穿越有味道。'],
    points: ['98% 棉 + 2% 氨纶，微弹', '高腰设计，收小肚腩', '九分长度，露出脚踝更显高'],
    params: [['面料', '棉 98% 氨纶 2%'], ['裤长', '九分'], ['腰型', '高腰'], ['产地', '广东新塘']],
  },
  {
    slug: 'knit-cardigan', title: '慵懒风宽松针织开衫', subtitle: '柔软不扎 · 宽松落肩 · 空调房必备', category: 'womens', art: 'cardigan',
    palette: pal('#f6efe4', '#e3d2b8', '#d8cbb0', '#8c6a4f'),
    specs: [{ name: '颜色', values: colours(['燕麦色', '#d8cbb0'], ['雾粉', '#e8b4bc'], ['墨绿', '#2f5d50']) }, { name: '尺码', values: v('S', 'M', 'L') }],
    price: 15900, originalPrice: 19900, salesCount: 865, sku: 'WC2403', weightGrams: 380,
    intro: ['细腻的混纺纱线，上身软糯不扎。宽松落肩版型，搭连衣裙、T 恤都好看。', '空调房、早晚温差大的时候随手一披。'],
    points: ['羊毛混纺，软糯亲肤', '落肩宽松版型', '贝壳扣，细节精致'],
    params: [['成分', '腈纶 60% 羊毛 20% 锦纶 20%'], ['厚薄', '常规'], ['版型', '宽松']],
  },
  {
    slug: 'womens-basic-tee', title: '女士纯棉基础款短袖T恤', subtitle: '新疆棉 · 微宽松 · 百搭打底', category: 'womens', art: 'tshirt',
    palette: pal('#fdf0e6', '#f7cfb0', '#f7f4ee', '#e76f51'),
    specs: [{ name: '颜色', values: colours(['白色', '#f7f4ee'], ['黑色', '#2b2b2b'], ['燕麦', '#d8cbb0'], ['雾霾蓝', '#7d9bb5']) }, { name: '尺码', values: v('S', 'M', 'L') }],
    price: 5900, originalPrice: 7900, salesCount: 4310, sku: 'WT2404', weightGrams: 200,
    intro: ['每个衣柜都需要的一件基础 T 恤。新疆长绒棉，200 克重，不透不松垮。', '领口采用罗纹包边，多次洗涤也不易变形。'],
    points: ['200g 精梳棉，厚实不透', '罗纹领口，不易变形', '四色可选，百搭'],
    params: [['面料', '棉 100%'], ['克重', '200 g/㎡'], ['版型', '微宽松']],
  },
  // ---- 男装 ----
  {
    slug: 'cotton-crew-tee', title: '新疆长绒棉圆领短袖T恤', subtitle: '260g 重磅 · 不易变形 · 夏季必备', category: 'mens', art: 'tshirt',
    palette: pal('#eef3f8', '#c5d3e3', '#ffffff', '#e63946'),
    specs: [{ name: '颜色', values: colours(['白色', '#f7f7f4'], ['黑色', '#2b2b2b'], ['藏青', '#1f3a5f'], ['麻灰', '#9aa0a6']) }, { name: '尺码', values: v('M', 'L', 'XL', 'XXL') }],
    price: 7900, originalPrice: 9900, featured: true, salesCount: 5628, sku: 'MT2401', weightGrams: 260, soldOut: [['黑色', 'XXL'], ['藏青', 'M']],
    intro: ['260 克重磅纯棉，挺括有型，穿一个夏天也不松垮。预缩处理，洗后不缩水。', '肩部加固车线，领口双针锁边，细节经得起反复穿洗。'],
    points: ['260g 重磅长绒棉', '预缩处理，洗后不变形', '宽松版型，男女同款'],
    params: [['面料', '棉 100%'], ['克重', '260 g/㎡'], ['领型', '圆领'], ['产地', '江苏南通']],
  },
  {
    slug: 'non-iron-shirt', title: '商务免烫长袖衬衫', subtitle: '液氨免烫 · 抗皱挺括 · 出差不用熨', category: 'mens', art: 'shirt',
    palette: pal('#eaf2fb', '#bcd3ee', '#dbe8f7', '#1f3a5f'),
    specs: [{ name: '颜色', values: colours(['白色', '#f9f9f6'], ['浅蓝', '#bcd3ee']) }, { name: '尺码', values: v('39', '40', '41', '42', '43') }],
    price: 19900, originalPrice: 25900, salesCount: 1540, sku: 'MS2402', weightGrams: 300,
    intro: ['液氨整理加免烫工艺，洗后晾干即可穿着，出差放进行李箱也不皱。', '修身而不紧绷的版型，衣领内置领撑，打不打领带都精神。'],
    points: ['免烫抗皱', '60 支高支棉，柔软透气', '领撑内置，领型挺括'],
    params: [['面料', '棉 100%'], ['支数', '60 支'], ['版型', '修身'], ['袖长', '长袖']],
  },
  {
    slug: 'hooded-jacket', title: '防泼水连帽夹克', subtitle: '轻薄防风 · 小雨不怕 · 可收纳帽', category: 'mens', art: 'hoodie',
    palette: pal('#eef0e6', '#cfd5b5', '#4a5d3a', '#e9c46a'),
    specs: [{ name: '颜色', values: colours(['黑色', '#2b2b2b'], ['卡其', '#c3a878'], ['军绿', '#4a5d3a']) }, { name: '尺码', values: v('M', 'L', 'XL', 'XXL') }],
    price: 39900, originalPrice: 49900, stock: 'low', salesCount: 612, sku: 'MJ2403', weightGrams: 520,
    intro: ['面料经过防泼水处理，毛毛雨和溅水轻松滑落。立领加连帽，风大时拉起拉链就能挡风。', '多口袋设计，手机、钥匙、地铁卡都有位置。'],
    points: ['防泼水、防风', '隐藏式收纳帽', '袖口魔术贴可调节'],
    params: [['面料', '锦纶 100%'], ['填充', '无（单层）'], ['适合季节', '春、秋']],
  },
  {
    slug: 'jogger-pants', title: '休闲束脚运动卫裤', subtitle: '毛圈棉 · 松紧腰 · 居家运动两相宜', category: 'mens', art: 'pants',
    palette: pal('#efefef', '#cfcfcf', '#555b61', '#ff8c42'),
    specs: [{ name: '颜色', values: colours(['黑色', '#2b2b2b'], ['麻灰', '#9aa0a6']) }, { name: '尺码', values: v('M', 'L', 'XL') }],
    price: 12900, salesCount: 2091, sku: 'MP2404', weightGrams: 420,
    intro: ['毛圈棉面料吸汗透气，松紧腰加抽绳，跑步、健身、居家都舒服。', '束脚设计，搭配运动鞋更利落。'],
    points: ['毛圈棉，吸汗透气', '松紧腰 + 抽绳', '两侧插袋 + 后拉链袋'],
    params: [['面料', '棉 80% 聚酯纤维 20%'], ['裤型', '束脚'], ['厚薄', '常规']],
  },
  // ---- 杯具餐具 ----
  {
    slug: 'glaze-mug', title: '手绘釉下彩陶瓷马克杯 380ml', subtitle: '景德镇手作 · 釉下彩不掉色 · 可进微波炉', category: 'tableware', art: 'mug',
    palette: pal('#e6f4f1', '#b5ded6', '#5aa9a0', '#f2c14e'),
    specs: [{ name: '颜色', values: colours(['青瓷', '#7fbfb5'], ['月白', '#eef1f4'], ['柿红', '#e07a5f']) }],
    price: 4900, originalPrice: 6900, featured: true, salesCount: 3426, sku: 'HM2401', weightGrams: 420,
    intro: ['景德镇匠人手工拉坯、手绘小花，釉下彩高温烧制，日常使用和洗碗机清洗都不会掉色。', '380ml 大容量，早上一杯咖啡或牛奶刚刚好。'],
    points: ['釉下彩，无铅无镉', '可进微波炉和洗碗机', '每只花纹略有不同，独一无二'],
    params: [['材质', '陶瓷'], ['容量', '380 ml'], ['产地', '江西景德镇']],
  },
  {
    slug: 'stoneware-bowl-set', title: '日式粗陶饭碗 四只装', subtitle: '粗陶质感 · 防烫厚底 · 一家四口刚刚好', category: 'tableware', art: 'bowl',
    palette: pal('#f3ede4', '#dccbb3', '#8c6a4f', '#5aa9a0'),
    specs: [{ name: '规格', values: priced(['4.5 英寸 四只装', 0], ['6 英寸 四只装', 2000]) }],
    price: 6800, originalPrice: 8800, salesCount: 1876, sku: 'HB2402', weightGrams: 1600,
    intro: ['粗陶坯体配哑光釉，握在手里温润厚实。碗底加厚，盛热汤也不烫手。', '4.5 英寸适合盛饭，6 英寸适合面条和汤。'],
    points: ['1280℃ 高温烧制', '碗底加厚防烫', '可进洗碗机'],
    params: [['材质', '粗陶'], ['件数', '4 只'], ['工艺', '釉下彩']],
  },
  {
    slug: 'glass-teapot', title: '耐热玻璃提梁泡茶壶', subtitle: '高硼硅玻璃 · 不锈钢滤网 · 明火可煮', category: 'tableware', art: 'teapot',
    palette: pal('#fff6e5', '#f7d9a6', '#d9e6e2', '#d98e04'),
    specs: [{ name: '容量', values: priced(['600ml', 0], ['900ml', 3000]) }],
    price: 8900, originalPrice: 12900, salesCount: 742, sku: 'HT2403', weightGrams: 650,
    intro: ['高硼硅玻璃耐冷热温差，明火、电陶炉都可以直接煮茶。提梁设计，倒茶稳当不烫手。', '不锈钢细密滤网，泡花茶、红茶、普洱都合适。'],
    points: ['耐温差 150℃', '316 不锈钢滤网', '提梁把手，隔热防烫'],
    params: [['材质', '高硼硅玻璃'], ['适用热源', '明火、电陶炉'], ['滤网', '不锈钢']],
  },
  {
    slug: 'vacuum-tumbler', title: '316不锈钢保温杯', subtitle: '12 小时保温 · 一键弹盖 · 车载可放', category: 'tableware', art: 'tumbler',
    palette: pal('#edf2f7', '#c3d1e0', '#7d9bb5', '#f4a261'),
    specs: [{ name: '颜色', values: colours(['奶白', '#f3ede2'], ['雾蓝', '#7d9bb5'], ['曜石黑', '#2b2b2b']) }, { name: '容量', values: priced(['350ml', 0], ['500ml', 2000]) }],
    price: 12900, originalPrice: 15900, salesCount: 2210, sku: 'HV2404', weightGrams: 360, soldOut: [['雾蓝', '500ml']],
    intro: ['316 医用级不锈钢内胆，泡茶、装咖啡都不留异味。双层真空，热饮 12 小时仍有 60℃。', '一键弹盖，单手就能喝水，杯身细长可放进车载杯架。'],
    points: ['316 不锈钢内胆', '保温 12 小时 / 保冷 24 小时', '一键弹盖，防漏锁扣'],
    params: [['材质', '316 不锈钢'], ['保温时长', '12 小时'], ['杯盖', '弹盖']],
  },
  // ---- 家纺 ----
  {
    slug: 'washed-cotton-bedding', title: '全棉水洗棉四件套', subtitle: 'A 类标准 · 裸睡级亲肤 · 越洗越软', category: 'textiles', art: 'bedding',
    palette: pal('#f4efe8', '#dcd0c0', '#d8cbb0', '#7d9bb5'),
    specs: [{ name: '颜色', values: colours(['燕麦', '#d8cbb0'], ['雾霾蓝', '#9fb4c8'], ['豆沙粉', '#d9a5a0']) }, { name: '规格', values: priced(['1.5m 床', 0], ['1.8m 床', 4000]) }],
    price: 29900, originalPrice: 39900, featured: true, salesCount: 1588, sku: 'HS2405', weightGrams: 2800,
    intro: ['水洗工艺让全棉面料自带柔软褶皱感，第一次上床就像用了很久一样软。A 类母婴标准，宝宝也能用。', '被套采用隐形拉链，床单四角加宽，不易跑位。'],
    points: ['100% 全棉，A 类标准', '水洗工艺，越洗越软', '被套 + 床单 + 两只枕套'],
    params: [['面料', '棉 100%'], ['件数', '4 件'], ['安全等级', 'A 类']],
  },
  {
    slug: 'latex-pillow', title: '泰国天然乳胶护颈枕', subtitle: '93% 乳胶含量 · 贴合颈椎 · 透气不闷', category: 'textiles', art: 'pillow',
    palette: pal('#eef6f0', '#c3e0cb', '#f3efe6', '#5fa97f'),
    specs: [{ name: '规格', values: priced(['标准款 60×40cm', 0], ['高低款 60×40cm', 3000]) }],
    price: 16900, originalPrice: 22900, salesCount: 2655, sku: 'HP2406', weightGrams: 1500,
    intro: ['天然乳胶回弹好，头颈放上去慢慢下沉、稳稳托住。蜂窝透气孔让枕芯保持干爽。', '高低款一侧高、一侧低，侧睡仰睡各取所需。'],
    points: ['93% 天然乳胶', '蜂窝透气孔', '外套可拆洗'],
    params: [['材质', '天然乳胶'], ['尺寸', '60 × 40 cm'], ['产地', '泰国']],
  },
  {
    slug: 'cotton-towel-set', title: '长绒棉加厚毛巾 三条装', subtitle: '吸水快 · 不掉毛 · 一家人分颜色用', category: 'textiles', art: 'towels',
    palette: pal('#f2f6fa', '#cfdbe8', '#a8c6e0', '#f4a261'),
    specs: [{ name: '颜色', values: colours(['云白', '#f5f5f0'], ['浅灰', '#c9ced3'], ['奶咖', '#cdb79e']) }],
    price: 5900, salesCount: 6120, sku: 'HT2407', weightGrams: 450,
    intro: ['长绒棉毛圈饱满，一擦就干。加密织法不易掉毛，洗多次依然蓬松。', '三条装同色，或者一家人分颜色使用。'],
    points: ['长绒棉，吸水性强', '加密织造，不掉毛', '三条装更划算'],
    params: [['材质', '棉 100%'], ['尺寸', '34 × 74 cm'], ['克重', '130 g/条']],
  },
  {
    slug: 'scented-candle', title: '大豆蜡香薰蜡烛 200g', subtitle: '天然大豆蜡 · 无烟棉芯 · 燃烧约 45 小时', category: 'textiles', art: 'candle',
    palette: pal('#fbf1e6', '#efcfae', '#f3e3c7', '#a47148'),
    specs: [{ name: '香型', values: v('白茶', '雪松', '无花果') }],
    price: 8900, originalPrice: 10900, salesCount: 934, sku: 'HC2408', weightGrams: 380,
    intro: ['天然大豆蜡搭配进口香精，点燃后香味温和不刺鼻。纯棉无烟灯芯，烧完杯壁干干净净。', '玻璃杯烧完可以留下来当笔筒或小花瓶。'],
    points: ['天然大豆蜡', '无烟纯棉芯', '燃烧约 45 小时'],
    params: [['净含量', '200 g'], ['燃烧时长', '约 45 小时'], ['容器', '玻璃杯']],
  },
  // ---- 休闲零食 ----
  {
    slug: 'daily-mixed-nuts', title: '每日坚果混合装', subtitle: '6 种坚果果干 · 独立小包 · 上班族早餐', category: 'snacks', art: 'snackbag',
    palette: pal('#fff3e0', '#ffd59e', '#f4a261', '#2a9d8f'),
    specs: [{ name: '规格', values: priced(['25g×15 袋', 0], ['25g×30 袋', 5900]) }],
    price: 6990, originalPrice: 8990, featured: true, salesCount: 9860, sku: 'FN2401', weightGrams: 450,
    intro: ['腰果、巴旦木、核桃仁、榛子仁、蔓越莓干、蓝莓干科学配比，每天一小包，营养均衡不过量。', '独立充氮包装，保持坚果酥脆。'],
    points: ['6 种坚果果干', '独立充氮小包', '无添加蔗糖'],
    params: [['净含量', '25 g × 15 袋'], ['保质期', '180 天'], ['储存', '阴凉干燥处']],
  },
  {
    slug: 'hickory-nuts', title: '临安手剥山核桃', subtitle: '椒盐奶油口味 · 壳薄易剥 · 颗颗饱满', category: 'snacks', art: 'jar',
    palette: pal('#f7efe3', '#e6cfae', '#8c6a4f', '#e07a3f'),
    specs: [{ name: '口味', values: v('椒盐', '奶油') }, { name: '规格', values: priced(['250g 罐装', 0], ['500g 罐装', 4500]) }],
    price: 4990, salesCount: 3120, sku: 'FH2402', weightGrams: 300, soldOut: [['奶油', '500g 罐装']],
    intro: ['浙江临安山核桃，个头饱满，壳薄一捏就开。传统炒制，越嚼越香。', '罐装密封，吃不完盖好盖子，第二天依然酥脆。'],
    points: ['临安原产', '手剥不费劲', '密封罐装'],
    params: [['产地', '浙江临安'], ['保质期', '240 天'], ['包装', '罐装']],
  },
  {
    slug: 'flower-cakes', title: '云南鲜花饼 礼盒装', subtitle: '现烤现发 · 真花瓣馅料 · 送礼自吃都好', category: 'snacks', art: 'giftbox',
    palette: pal('#fde8ee', '#f6b7c9', '#f28fad', '#f2c14e'),
    specs: [{ name: '口味', values: v('玫瑰', '茉莉', '混合') }, { name: '规格', values: priced(['6 枚礼盒', 0], ['12 枚礼盒', 3500]) }],
    price: 3990, originalPrice: 4990, salesCount: 2788, sku: 'FC2403', weightGrams: 400,
    intro: ['云南食用玫瑰花瓣做馅，酥皮层层分明，咬一口满嘴花香。每天少量现烤，下单后 48 小时内发货。', '礼盒包装，逢年过节送亲友很有心意。'],
    points: ['真花瓣馅料', '现烤现发', '精美礼盒'],
    params: [['产地', '云南昆明'], ['保质期', '30 天'], ['单枚重量', '50 g']],
  },
  {
    slug: 'liuzhou-noodles', title: '柳州螺蛳粉 正宗原味', subtitle: '酸笋足量 · 汤底浓郁 · 宿舍夜宵', category: 'snacks', art: 'noodles',
    palette: pal('#fff0e0', '#ffc89e', '#f3ede2', '#c0392b'),
    specs: [{ name: '规格', values: priced(['3 袋装', 0], ['5 袋装', 2200]) }],
    price: 3690, salesCount: 12480, sku: 'FL2404', weightGrams: 1200,
    intro: ['柳州本地工厂出品，米粉爽滑有嚼劲，酸笋、腐竹、花生、木耳一样不少。', '煮 8 分钟，加上汤料包，一碗地道的柳州味道。'],
    points: ['酸笋足量', '非油炸米粉', '煮食 8 分钟'],
    params: [['净含量', '400 g / 袋'], ['产地', '广西柳州'], ['保质期', '180 天']],
  },
  // ---- 茶饮冲调 ----
  {
    slug: 'longjing-tea', title: '明前西湖龙井 特级', subtitle: '2024 新茶 · 核心产区 · 豆香浓郁', category: 'tea-coffee', art: 'tin',
    palette: pal('#edf5e6', '#c6dfb0', '#5b8c3e', '#d4a373'),
    specs: [{ name: '规格', values: priced(['100g 罐装', 0], ['250g 礼盒', 22000]) }],
    price: 16800, originalPrice: 19800, featured: true, salesCount: 1432, sku: 'FT2405', weightGrams: 200,
    intro: ['清明前采摘的一芽一叶，手工炒制，扁平挺直，色泽嫩绿。冲泡后豆香清雅，回甘明显。', '锡罐密封避光，放进冰箱冷藏可保存更久。'],
    points: ['明前采摘', '手工炒制', '锡罐密封'],
    params: [['产地', '浙江杭州西湖区'], ['等级', '特级'], ['保质期', '18 个月']],
  },
  {
    slug: 'yunnan-coffee-beans', title: '云南小粒咖啡豆', subtitle: '保山产区 · 当周烘焙 · 坚果巧克力风味', category: 'tea-coffee', art: 'coffeebag',
    palette: pal('#f5ebe0', '#dcc1a1', '#3e2c23', '#d4a373'),
    specs: [{ name: '烘焙度', values: v('中度烘焙', '深度烘焙') }, { name: '规格', values: priced(['250g', 0], ['500g', 4000]) }],
    price: 5900, salesCount: 1766, sku: 'FB2406', weightGrams: 280,
    intro: ['云南保山小粒种阿拉比卡，中度烘焙带坚果和焦糖甜感，深度烘焙巧克力味更浓，适合做拿铁。', '每周烘焙、单向排气阀包装，收到即是最佳赏味期。'],
    points: ['阿拉比卡小粒种', '每周烘焙', '单向排气阀'],
    params: [['产地', '云南保山'], ['豆种', '阿拉比卡'], ['保质期', '12 个月']],
  },
  {
    slug: 'linden-honey', title: '东北野生椴树蜜', subtitle: '天然成熟蜜 · 结晶如雪 · 温水冲饮', category: 'tea-coffee', art: 'honey',
    palette: pal('#fff7df', '#ffe29a', '#8c6a4f', '#e9c46a'),
    specs: [{ name: '规格', values: priced(['500g', 0], ['1kg', 5000]) }],
    price: 6800, originalPrice: 7800, salesCount: 2540, sku: 'FY2407', weightGrams: 650,
    intro: ['长白山椴树花期采集，自然成熟封盖后才摇蜜，浓度高、香气清新。低温会结晶成雪白细腻的膏状，是正常现象。', '用 60℃ 以下温水冲调，保留更多风味。'],
    points: ['成熟蜜，波美度 42 以上', '天然结晶', '玻璃瓶装'],
    params: [['产地', '吉林长白山'], ['蜜种', '椴树蜜'], ['保质期', '24 个月']],
  },
  // ---- 耳机音响 ----
  {
    slug: 'anc-headphones', title: '主动降噪头戴式蓝牙耳机', subtitle: '40dB 深度降噪 · 60 小时续航 · 通勤出差必备', category: 'audio', art: 'headphones',
    palette: pal('#e9ecf2', '#b8c2d6', '#2d3142', '#ef8354'),
    specs: [{ name: '颜色', values: colours(['曜石黑', '#2d3142'], ['月光银', '#d9dde3']) }],
    price: 59900, originalPrice: 79900, featured: true, stock: 'low', salesCount: 988, sku: 'DA2401', weightGrams: 260,
    intro: ['双馈混合降噪，地铁、飞机上的低频噪音明显减弱。40mm 动圈单元，低音饱满、人声清晰。', '一次充满可用 60 小时，快充 10 分钟听 5 小时。'],
    points: ['最高 40dB 主动降噪', '60 小时超长续航', '蓝牙 5.3，双设备连接'],
    params: [['降噪', '主动降噪'], ['续航', '60 小时'], ['蓝牙版本', '5.3'], ['重量', '250 g']],
  },
  {
    slug: 'tws-earbuds', title: '真无线蓝牙耳机 半入耳式', subtitle: '轻至 4g · 通话降噪 · 低延迟游戏模式', category: 'audio', art: 'earbuds',
    palette: pal('#eef4fb', '#c2d6ee', '#f7f7f7', '#4cc9f0'),
    specs: [{ name: '颜色', values: colours(['珍珠白', '#f7f7f7'], ['磨砂黑', '#33363b']) }],
    price: 19900, originalPrice: 25900, salesCount: 4372, sku: 'DE2402', weightGrams: 60,
    intro: ['半入耳设计，长时间佩戴不胀耳。双麦克风通话降噪，嘈杂街头也能听清。', '游戏模式延迟低至 60ms，看视频音画同步。'],
    points: ['单耳仅 4g', '双麦通话降噪', '总续航 28 小时'],
    params: [['佩戴方式', '半入耳'], ['续航', '单次 6 小时 / 总 28 小时'], ['防水', 'IPX4']],
  },
  {
    slug: 'portable-speaker', title: '便携蓝牙音箱 户外防水', subtitle: 'IPX7 防水 · 360° 环绕 · 露营野餐', category: 'audio', art: 'speaker',
    palette: pal('#eaf4ef', '#b8dcc9', '#2f5d50', '#f4a261'),
    specs: [{ name: '颜色', values: colours(['墨绿', '#2f5d50'], ['砂岩灰', '#a8a39d'], ['珊瑚红', '#e76f51']) }],
    price: 29900, salesCount: 1208, sku: 'DS2403', weightGrams: 540, soldOut: [['珊瑚红']],
    intro: ['360° 环绕发声，放在桌子中间每个人都听得清楚。IPX7 防水，泳池边、雨中露营都不怕。', '两台可组成立体声，派对氛围更足。'],
    points: ['IPX7 防水', '360° 环绕声', '续航 16 小时'],
    params: [['防水等级', 'IPX7'], ['续航', '16 小时'], ['重量', '520 g']],
  },
  // ---- 数码配件 ----
  {
    slug: 'power-bank', title: '20000mAh 快充移动电源', subtitle: '22.5W 双向快充 · 可上飞机 · 三口同充', category: 'accessories', art: 'powerbank',
    palette: pal('#eef1f6', '#c7cfdd', '#f7f7f7', '#06d6a0'),
    specs: [{ name: '颜色', values: colours(['白色', '#f7f7f7'], ['黑色', '#2b2b2b']) }],
    price: 14900, originalPrice: 19900, salesCount: 5230, sku: 'DP2404', weightGrams: 420,
    intro: ['20000mAh 大容量，给手机充 4 次左右。支持 22.5W 快充和 PD 20W，半小时充到 55%。', '额定能量 74Wh，符合民航规定，可随身带上飞机。'],
    points: ['20000mAh 大容量', '22.5W 快充', 'USB-C + 双 USB-A'],
    params: [['容量', '20000 mAh'], ['最大输出', '22.5 W'], ['接口', 'USB-C ×1，USB-A ×2']],
  },
  {
    slug: 'sport-watch', title: '智能运动手表 GPS 版', subtitle: '双频 GPS · 血氧心率 · 14 天续航', category: 'accessories', art: 'watch',
    palette: pal('#fff0e6', '#ffc9a8', '#2b2b2b', '#ff7f11'),
    specs: [{ name: '颜色', values: colours(['曜石黑', '#2b2b2b'], ['活力橙', '#ff7f11']) }],
    price: 69900, originalPrice: 89900, featured: true, salesCount: 756, sku: 'DW2405', weightGrams: 90, soldOut: [['活力橙']],
    intro: ['双频 GPS 定位，跑步、骑行轨迹更准确。全天心率、血氧和睡眠监测，身体状态一目了然。', '100 多种运动模式，5ATM 防水，游泳也能戴。'],
    points: ['双频 GPS', '14 天典型续航', '5ATM 防水'],
    params: [['屏幕', '1.43 英寸 AMOLED'], ['续航', '14 天'], ['防水', '5ATM']],
  },
  {
    slug: 'magnetic-phone-case', title: '磁吸防摔手机壳', subtitle: '军规防摔 · 强磁吸附 · 不发黄', category: 'accessories', art: 'phone',
    palette: pal('#eef0f5', '#c9cfde', '#b9c4d6', '#ff6b6b'),
    specs: [{ name: '型号', values: v('iPhone 15', 'iPhone 15 Pro', 'iPhone 16', 'iPhone 16 Pro') }, { name: '颜色', values: colours(['透明', '#dfe6ee'], ['雾黑', '#3a3d42']) }],
    price: 4900, salesCount: 8840, sku: 'DC2406', weightGrams: 50,
    intro: ['内置强磁环，支持磁吸充电和磁吸支架，吸力稳、不掉落。四角气囊防摔，镜头和屏幕边缘加高保护。', '抗黄变材质，用一年依然清透。'],
    points: ['磁吸充电可用', '四角气囊防摔', '抗黄变'],
    params: [['材质', 'TPU + PC'], ['磁吸', '支持'], ['防摔', '1.5 米']],
  },
  // ---- 护肤 ----
  {
    slug: 'hyaluronic-serum', title: '玻尿酸补水保湿精华液', subtitle: '多分子玻尿酸 · 一抹水润 · 敏感肌可用', category: 'skincare', art: 'serum',
    palette: pal('#e8f4fb', '#b3dcf2', '#9ad1ee', '#f28fad'),
    specs: [{ name: '容量', values: priced(['30ml', 0], ['50ml', 6000]) }],
    price: 15900, originalPrice: 19900, featured: true, salesCount: 3358, sku: 'BS2401', weightGrams: 150,
    intro: ['大中小三种分子量玻尿酸，从表层到深层层层补水。质地清爽不黏腻，上脸很快吸收。', '无酒精、无香精，敏感肌也可放心使用。'],
    points: ['三重玻尿酸', '无酒精无香精', '清爽易吸收'],
    params: [['功效', '补水、保湿'], ['适合肤质', '所有肤质'], ['保质期', '36 个月']],
  },
  {
    slug: 'amino-cleanser', title: '氨基酸温和洁面乳', subtitle: '弱酸性 · 洗后不紧绷 · 早晚可用', category: 'skincare', art: 'tube',
    palette: pal('#eaf7f2', '#bfe6d6', '#f7faf8', '#2a9d8f'),
    specs: [{ name: '容量', values: priced(['100g', 0], ['150g', 2000]) }],
    price: 6900, salesCount: 6032, sku: 'BC2402', weightGrams: 130,
    intro: ['氨基酸表活，泡沫绵密，洗得干净又不过度清洁。弱酸性配方，洗后皮肤水润不紧绷。', '早晚都可以用，油皮混油皮也适合。'],
    points: ['氨基酸表活', '弱酸性配方', '泡沫细腻'],
    params: [['功效', '清洁'], ['适合肤质', '所有肤质'], ['保质期', '36 个月']],
  },
  {
    slug: 'repair-cream', title: '修护保湿面霜', subtitle: '神经酰胺 · 修护屏障 · 换季泛红救星', category: 'skincare', art: 'cream',
    palette: pal('#fbeff0', '#f2c6cc', '#fdf7f2', '#d4a373'),
    specs: [{ name: '容量', values: priced(['30g', 0], ['50g', 8000]) }],
    price: 22900, originalPrice: 26900, stock: 'low', salesCount: 1184, sku: 'BR2403', weightGrams: 180,
    intro: ['神经酰胺配合角鲨烷，帮助修护受损的皮肤屏障，换季干燥、泛红时尤其好用。', '霜体丰润但不厚重，夜间厚涂可当睡眠面膜。'],
    points: ['神经酰胺修护', '角鲨烷锁水', '无香精'],
    params: [['功效', '修护、保湿'], ['适合肤质', '干皮、敏感肌'], ['保质期', '36 个月']],
  },
  // ---- 彩妆香氛 ----
  {
    slug: 'velvet-lipstick', title: '丝绒雾面哑光口红', subtitle: '一抹显色 · 不拔干 · 持久不沾杯', category: 'makeup', art: 'lipstick',
    palette: pal('#fde6e6', '#f5b0b0', '#c1121f', '#d4a373'),
    specs: [{ name: '色号', values: colours(['#01 正红', '#c1121f'], ['#05 豆沙', '#b5655d'], ['#12 枫叶', '#a0401f'], ['#18 奶茶', '#c08a6e']) }],
    price: 16900, featured: true, salesCount: 4470, sku: 'BL2404', weightGrams: 40,
    intro: ['丝绒雾面质地，一笔显色，薄涂自然，厚涂气场全开。添加植物油脂，哑光也不拔干。', '持妆 6 小时，喝水不易沾杯。'],
    points: ['丝绒雾面', '滋润不拔干', '持久不沾杯'],
    params: [['净含量', '3.5 g'], ['质地', '雾面'], ['保质期', '36 个月']],
  },
  {
    slug: 'eau-de-toilette', title: '白茶淡香水', subtitle: '清新木质调 · 留香 4-6 小时 · 通勤淡雅', category: 'makeup', art: 'perfume',
    palette: pal('#f1f5ec', '#d2e0c2', '#e8efe0', '#c9a227'),
    specs: [{ name: '容量', values: priced(['30ml', 0], ['50ml', 8000], ['100ml', 18000]) }],
    price: 29900, originalPrice: 35900, salesCount: 642, sku: 'BP2405', weightGrams: 260,
    intro: ['前调佛手柑与白茶，中调茉莉，后调雪松与白麝香。清新干净，像刚泡好的一杯白茶。', '留香 4-6 小时，适合通勤和日常。'],
    points: ['清新木质调', '留香 4-6 小时', '玻璃瓶身，方便携带'],
    params: [['香调', '木质调'], ['留香时间', '4-6 小时'], ['保质期', '60 个月']],
  },
  // ---- 母婴 ----
  {
    slug: 'glass-baby-bottle', title: '宽口径玻璃奶瓶', subtitle: '高硼硅玻璃 · 防胀气奶嘴 · 新生儿适用', category: 'baby', art: 'babybottle',
    palette: pal('#eaf6fd', '#bde3f8', '#d7ecf7', '#ffb4a2'),
    specs: [{ name: '容量', values: priced(['160ml', 0], ['240ml', 1000]) }],
    price: 8900, originalPrice: 10900, salesCount: 1960, sku: 'YB2401', weightGrams: 220,
    intro: ['高硼硅玻璃瓶身，耐高温消毒，不含双酚 A。宽口径设计，冲奶粉、清洗都方便。', '仿母乳奶嘴加防胀气阀，宝宝吃奶更顺畅。'],
    points: ['高硼硅玻璃', '防胀气奶嘴', '可高温蒸汽消毒'],
    params: [['材质', '高硼硅玻璃 + 硅胶'], ['适用月龄', '0 个月以上'], ['口径', '宽口径']],
  },
  {
    slug: 'plush-bear', title: '安抚毛绒小熊玩偶', subtitle: '婴儿级面料 · 可机洗 · 陪伴入睡', category: 'baby', art: 'bear',
    palette: pal('#fff4e6', '#ffd8a8', '#c68b59', '#7fc8f8'),
    specs: [{ name: '尺寸', values: priced(['30cm', 0], ['45cm', 4000]) }],
    price: 7900, salesCount: 2344, sku: 'YT2402', weightGrams: 300,
    intro: ['婴儿级短毛绒，柔软不掉毛，眼睛鼻子为绣花工艺，没有可拆下的小零件。', '可放进洗衣机洗涤，脏了随时洗。'],
    points: ['婴儿级面料', '绣花五官，安全', '可机洗'],
    params: [['面料', '短毛绒'], ['填充', 'PP 棉'], ['适用年龄', '0 岁以上']],
  },
  // ---- 运动户外 ----
  {
    slug: 'running-shoes', title: '轻量缓震跑步鞋', subtitle: '单只 230g · 回弹中底 · 透气网面', category: 'sports', art: 'sneaker',
    palette: pal('#eef7e6', '#c9e8a9', '#2b2b2b', '#7ed957'),
    specs: [{ name: '颜色', values: colours(['黑白', '#2b2b2b'], ['荧光绿', '#9be15d']) }, { name: '尺码', values: v('39', '40', '41', '42', '43', '44') }],
    price: 39900, originalPrice: 49900, featured: true, salesCount: 1830, sku: 'SR2401', weightGrams: 700, soldOut: [['荧光绿', '39'], ['荧光绿', '44']],
    intro: ['超临界发泡中底，轻盈又有回弹，日常慢跑、健身房训练都合适。一体织网面，透气贴脚。', '橡胶大底耐磨防滑，雨天路面也抓地。'],
    points: ['单只约 230g', '超临界发泡中底', '耐磨橡胶大底'],
    params: [['鞋面', '织物'], ['中底', 'TPEE 发泡'], ['适用场景', '跑步、训练']],
  },
  {
    slug: 'yoga-mat', title: 'TPE 双面防滑瑜伽垫', subtitle: '无异味 · 加宽 80cm · 附绑带', category: 'sports', art: 'yogamat',
    palette: pal('#f1ecf9', '#d2c4ef', '#8e7dbe', '#f2c14e'),
    specs: [{ name: '颜色', values: colours(['紫罗兰', '#8e7dbe'], ['薄荷绿', '#7fd1b9']) }, { name: '厚度', values: priced(['6mm', 0], ['8mm', 2000]) }],
    price: 8900, salesCount: 3015, sku: 'SY2402', weightGrams: 1200,
    intro: ['TPE 环保材质，开封无刺鼻气味。双面不同纹理，正面防滑、背面抓地，做平板支撑也不跑位。', '加宽到 80cm，动作更舒展。'],
    points: ['TPE 环保无味', '双面防滑', '加宽 80cm'],
    params: [['材质', 'TPE'], ['尺寸', '183 × 80 cm'], ['附件', '绑带']],
  },
  {
    slug: 'commuter-backpack', title: '城市通勤双肩包 15.6 英寸', subtitle: '防泼水面料 · 独立电脑仓 · 减压肩带', category: 'sports', art: 'backpack',
    palette: pal('#edf1f5', '#c6d1dc', '#3d4a5c', '#f4a261'),
    specs: [{ name: '颜色', values: colours(['曜石黑', '#2b2b2b'], ['烟灰', '#8a939c']) }],
    price: 19900, originalPrice: 25900, salesCount: 2477, sku: 'SB2403', weightGrams: 900,
    intro: ['独立电脑仓可放 15.6 英寸笔记本，多个收纳隔层让充电器、雨伞、水杯各归其位。', '防泼水面料，背面隐藏防盗口袋，通勤、出差都安心。'],
    points: ['独立电脑仓', '防泼水面料', '隐藏防盗袋'],
    params: [['容量', '约 25 L'], ['面料', '涤纶'], ['电脑仓', '15.6 英寸']],
  },
  {
    slug: 'sports-bottle', title: 'Tritan 运动水杯 1L', subtitle: '大容量 · 吸管弹盖 · 刻度提醒喝水', category: 'sports', art: 'tumbler',
    palette: pal('#e6f6f7', '#b2e2e6', '#2ab7ca', '#fed766'),
    specs: [{ name: '颜色', values: colours(['湖蓝', '#2ab7ca'], ['暖橙', '#f6a04d'], ['透明', '#e3eef0']) }],
    price: 4900, originalPrice: 5900, listed: false, salesCount: 0, sku: 'SW2404', weightGrams: 260,
    intro: ['Tritan 材质，耐摔耐高温，装热水也没有塑料味。瓶身刻度提醒每天喝够 2 升水。', '吸管弹盖，运动时单手就能喝。'],
    points: ['Tritan 材质', '1L 大容量', '吸管弹盖'],
    params: [['材质', 'Tritan'], ['容量', '1000 ml'], ['耐温', '-20 ~ 96℃']],
  },
];

export const DEMO_BANNERS: BannerSpec[] = [
  {
    bg: ['#ff9a8b', '#ff6a88'], title: 'NEW ARRIVALS', subtitle: 'Spring styles, just landed',
    items: [{ kind: 'dress', main: '#7d9bb5', accent: '#f2c14e' }, { kind: 'tshirt', main: '#ffffff', accent: '#ff6a88' }, { kind: 'sneaker', main: '#2b2b2b', accent: '#7ed957' }],
  },
  {
    bg: ['#f6d365', '#fda085'], title: 'FRESH PICKS', subtitle: 'Tea, honey and snacks',
    items: [{ kind: 'honey', main: '#8c6a4f', accent: '#e9c46a' }, { kind: 'tin', main: '#5b8c3e', accent: '#d4a373' }, { kind: 'snackbag', main: '#2a9d8f', accent: '#f4a261' }],
  },
  {
    bg: ['#667eea', '#764ba2'], title: 'UP TO 30% OFF', subtitle: 'Audio and smart gadgets',
    items: [{ kind: 'headphones', main: '#2d3142', accent: '#ef8354' }, { kind: 'watch', main: '#2b2b2b', accent: '#ff7f11' }, { kind: 'earbuds', main: '#f7f7f7', accent: '#4cc9f0' }],
  },
];

export const FOOD_CATEGORIES = new Set(['snacks', 'tea-coffee']);
export const CLOTHING_CATEGORIES = new Set(['womens', 'mens']);
export const NOTES = { clothing: CLOTHING_NOTE, food: FOOD_NOTE };
