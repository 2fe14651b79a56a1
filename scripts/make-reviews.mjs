#!/usr/bin/env node
// Writes examples/data/reviews.jsonl: product reviews written for this project, composed from the
// hand-written fragments below with a seeded PRNG, so the file is the same on every run.
//
//   node scripts/make-reviews.mjs [--count 2400] [--seed 20240611] [--out examples/data/reviews.jsonl]
//
// Each line is { "id": "r-00001", "product": "...", "rating": 1..5, "text": "..." }. The rating
// decides the tone of every fragment (1–2 negative, 3 mixed, 4–5 positive), so a sentiment model
// that reads the text agrees with the stars most of the time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '2400' },
    seed: { type: 'string', default: '20240611' },
    out: { type: 'string', default: join(root, 'examples', 'data', 'reviews.jsonl') },
  },
});

/** mulberry32: a small, well-known 32-bit PRNG; good enough to vary text, and reproducible. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(Number(values.seed));
const pick = (list) => list[Math.floor(random() * list.length)];
const chance = (p) => random() < p;

/** Star distribution of a typical shop: many fives, a bump at one star. */
const RATING_WEIGHTS = [
  [5, 0.38],
  [4, 0.26],
  [3, 0.12],
  [2, 0.09],
  [1, 0.15],
];
function drawRating() {
  let r = random();
  for (const [rating, weight] of RATING_WEIGHTS) {
    if ((r -= weight) < 0) return rating;
  }
  return 5;
}
const TONE_BY_RATING = { 1: 'neg', 2: 'neg', 3: 'mixed', 4: 'pos', 5: 'pos' };

const FILL = {
  duration: ['two weeks', 'a month', 'three months', 'six months', 'a year', 'a few days', 'ten days', 'two months'],
  who: ['my wife', 'my husband', 'my son', 'my daughter', 'my roommate', 'my dad', 'my mom', 'a friend', 'my partner', 'my sister'],
  price: ['$19', '$25', '$39', '$49', '$60', '$79', '$99', '$129', '$149', '$199'],
};
const fill = (s) => s.replace(/\{(\w+)\}/g, (m, k) => (k in FILL ? pick(FILL[k]) : m));

/** Openers and closers any product can take, by tone. */
const OPENERS = {
  pos: [
    'Really happy with this purchase.',
    'I love {this} {product}.',
    'Excellent {product}, exactly what I wanted.',
    'Great value for the money.',
    'Best {product} I have owned so far.',
    'Bought this {duration} ago and it is still great.',
    'Five stars from me.',
    'This exceeded my expectations.',
    'Very pleased overall.',
    'I was skeptical at first, but {this} {product} {is} fantastic.',
    'Bought it as a gift for {who} and they love it.',
    'Solid, well made and a pleasure to use.',
  ],
  mixed: [
    'It is okay, nothing special.',
    'Decent {product}, but not perfect.',
    'Mixed feelings about this one.',
    'Does the job, more or less.',
    'Average {product} for the price.',
    'Some good points, some bad.',
    'I have used it for {duration} and I am still undecided.',
    'It works, but I expected a bit more.',
    'Not bad, not great.',
  ],
  neg: [
    'Very disappointed with {this} {product}.',
    'Do not buy this.',
    'Terrible quality, sadly.',
    'This was a waste of money.',
    'I regret buying {this} {product}.',
    'Broke after {duration}.',
    'Awful experience from the start.',
    'I wanted to like it, but it is bad.',
    'Returned it after {duration}.',
    'Poor product, poor support.',
    'Worst {product} I have ever bought.',
  ],
};
const CLOSERS = {
  pos: [
    'Highly recommend it.',
    'Would definitely buy again.',
    'I would recommend it to anyone.',
    'Great purchase, happy customer.',
    'Already ordered a second one for {who}.',
    'Worth every penny.',
    '',
    '',
  ],
  mixed: [
    'Maybe wait for a sale.',
    'Fine if your needs are simple.',
    'Three stars feels fair.',
    'I might look for something else next time.',
    'It is acceptable for {price}.',
    '',
  ],
  neg: [
    'Avoid it.',
    'Save your money.',
    'I would not recommend it.',
    'Returning it for a refund.',
    'Never again.',
    'Really disappointing for {price}.',
    '',
  ],
};
const LINKS = ['', '', '', 'Also, ', 'On top of that, ', 'Plus, ', 'And ', 'Honestly, '];

/**
 * Per category: products and specific remarks by tone. Remarks start with a capital letter;
 * a link word lowers it.
 */
const CATEGORIES = [
  {
    noun: 'headphones',
    products: ['Aurora Wireless Headphones', 'QuietWave ANC Headphones', 'Pulse Sport Earbuds', 'Studio Lite Headphones'],
    pos: [
      'The sound is clear and the bass is rich without being muddy.',
      'Noise cancelling works great on the train.',
      'Battery easily lasts a full week of commuting.',
      'They are comfortable even after hours of wear.',
      'Pairing with my phone was quick and easy.',
      'Calls sound crisp and people hear me perfectly.',
      'The case is compact and feels sturdy.',
    ],
    mixed: [
      'The sound is good but the bass is a little weak.',
      'Comfortable, though they get warm after an hour.',
      'Battery life is fine, not as long as advertised.',
      'Noise cancelling is average compared to pricier models.',
      'The app is clunky but you only need it once.',
    ],
    neg: [
      'The left earbud stopped working after {duration}.',
      'The sound is tinny and distorted at higher volume.',
      'Bluetooth keeps dropping every few minutes.',
      'They hurt my ears after twenty minutes.',
      'Battery dies in two hours, nowhere near the claim.',
      'The microphone is useless, nobody can hear me on calls.',
      'The hinge cracked on the first week.',
    ],
  },
  {
    noun: 'coffee maker',
    products: ['BrewMaster 12-Cup Coffee Maker', 'Morning Ritual Drip Brewer', 'Barista One Espresso Machine'],
    pos: [
      'The coffee tastes rich and hot every morning.',
      'It brews a full pot in a few minutes.',
      'Easy to clean and the carafe does not drip.',
      'The timer means coffee is ready when I wake up.',
      'The espresso has a lovely crema.',
      'It is quiet and looks nice on the counter.',
    ],
    mixed: [
      'The coffee is fine but not very hot.',
      'Brewing is a bit slow, though the taste is good.',
      'The carafe dribbles a little when pouring.',
      'Decent coffee, but the controls are confusing.',
    ],
    neg: [
      'It started leaking water all over the counter.',
      'The coffee tastes burnt and bitter no matter what.',
      'It stopped heating after {duration}.',
      'The carafe lid broke and the replacement costs a fortune.',
      'It is loud, slow and the coffee is lukewarm.',
      'The pump failed and customer service never replied.',
    ],
  },
  {
    noun: 'running shoes',
    products: ['Stride Runner 3 Shoes', 'TrailGrip Running Shoes', 'CloudStep Trainers'],
    pos: [
      'Very comfortable from the first run.',
      'Great cushioning and my knees feel better.',
      'They fit true to size and feel light.',
      'The grip on wet trails is excellent.',
      'Still look new after {duration} of daily runs.',
      'Breathable and my feet stay dry.',
    ],
    mixed: [
      'Comfortable, but they run a little small.',
      'Good cushioning, though the laces keep coming undone.',
      'Fine for short runs, not sure about long distances.',
      'The color is nicer online than in person.',
    ],
    neg: [
      'The sole started peeling off after {duration}.',
      'They gave me blisters on every run.',
      'Way too narrow and painful to wear.',
      'The stitching came apart almost immediately.',
      'Slippery on wet pavement, I nearly fell.',
      'Uncomfortable and stiff even after breaking them in.',
    ],
  },
  {
    noun: 'backpack',
    products: ['Nomad 28L Laptop Backpack', 'Metro Commuter Backpack', 'Summit Day Pack'],
    pos: [
      'Lots of pockets and my laptop fits perfectly.',
      'The straps are padded and comfortable.',
      'Survived heavy rain and everything stayed dry.',
      'Well made with strong zippers.',
      'It looks great and gets compliments.',
      'Perfect size for travel as a carry-on.',
    ],
    mixed: [
      'Good capacity, but the side pockets are small.',
      'Comfortable straps, though the fabric feels thin.',
      'Nice design, but it is heavier than expected.',
      'The laptop sleeve is fine, the other pockets are awkward.',
    ],
    neg: [
      'The zipper broke after {duration}.',
      'A strap tore off on the first trip.',
      'Not waterproof at all, my laptop got wet.',
      'The seams are fraying already.',
      'Uncomfortable, it digs into my shoulders.',
      'Much smaller than the photos suggest.',
    ],
  },
  {
    noun: 'blender',
    products: ['Vortex Pro Blender', 'GreenShake Personal Blender', 'KitchenCore 1200W Blender'],
    pos: [
      'Makes perfectly smooth smoothies in seconds.',
      'Crushes ice easily.',
      'Powerful motor and easy to clean.',
      'The travel cups are a great bonus.',
      'Soups come out silky and smooth.',
    ],
    mixed: [
      'Powerful, but very loud.',
      'Good for smoothies, struggles with frozen fruit.',
      'Works well, though the jug is hard to clean.',
      'Fine blender, the lid is a bit loose.',
    ],
    neg: [
      'The motor burned out after {duration}.',
      'It leaks from the bottom of the jug.',
      'Leaves chunks of ice no matter how long it runs.',
      'Smells like burning plastic every time.',
      'The blade assembly cracked.',
      'Cheap plastic and a weak motor.',
    ],
  },
  {
    noun: 'smartwatch',
    products: ['Pulse Fit Smartwatch', 'Orbit 2 Smart Watch', 'Trailhead GPS Watch'],
    pos: [
      'Accurate heart rate and step tracking.',
      'The battery lasts almost a week.',
      'The screen is bright and easy to read outdoors.',
      'GPS locks quickly and the maps are excellent.',
      'Sleep tracking is surprisingly useful.',
      'Notifications work perfectly with my phone.',
    ],
    mixed: [
      'Tracking is good, the app is confusing.',
      'Nice screen, but battery is only two days.',
      'Works fine, though the strap is uncomfortable.',
      'Decent features, a bit slow to respond.',
    ],
    neg: [
      'The step count is wildly inaccurate.',
      'It will not sync with my phone anymore.',
      'The screen cracked from a tiny bump.',
      'Battery drains in less than a day.',
      'The app crashes constantly and loses my data.',
      'Stopped charging after {duration}.',
    ],
  },
  {
    noun: 'desk lamp',
    products: ['Lumen LED Desk Lamp', 'Arc Reading Lamp', 'Halo Clamp Lamp'],
    pos: [
      'Bright, even light with no flicker.',
      'The dimmer and color temperature settings are great.',
      'Sturdy base and the arm stays where I put it.',
      'Perfect for reading late at night.',
      'The USB port is handy for charging my phone.',
    ],
    mixed: [
      'Bright enough, but the arm is a little wobbly.',
      'Nice light, though the touch controls are finicky.',
      'Good lamp, the cable is too short.',
    ],
    neg: [
      'It flickers constantly and gives me headaches.',
      'The arm droops and will not stay in place.',
      'Stopped turning on after {duration}.',
      'Way too dim to read by.',
      'The clamp broke the first time I used it.',
    ],
  },
  {
    noun: 'vacuum',
    products: ['SwiftClean Cordless Vacuum', 'RoboMop Robot Vacuum', 'PetPro Upright Vacuum'],
    pos: [
      'Great suction, it picks up all the pet hair.',
      'Light and easy to carry up the stairs.',
      'The battery lasts for the whole house.',
      'The robot maps the apartment and cleans on schedule.',
      'Emptying the bin is quick and clean.',
    ],
    mixed: [
      'Good suction, but the battery runs out fast.',
      'Cleans well, though it is quite loud.',
      'The robot works, but it gets stuck under the sofa.',
      'Decent vacuum, the bin is small.',
    ],
    neg: [
      'Suction is weak and it leaves dirt behind.',
      'The battery died completely after {duration}.',
      'The robot keeps getting lost and never finishes.',
      'The brush roll jammed and the motor smells burnt.',
      'Hair wraps around everything, constant cleaning.',
    ],
  },
  {
    noun: 'chef knife',
    products: ['Kaito 8-inch Chef Knife', 'Forge Santoku Knife', 'EdgeLine Knife Set'],
    pos: [
      'Razor sharp out of the box.',
      'Well balanced and comfortable to hold.',
      'Slices tomatoes and onions effortlessly.',
      'Holds its edge after {duration} of daily cooking.',
      'Beautiful finish and a solid handle.',
    ],
    mixed: [
      'Sharp, but the handle is slippery when wet.',
      'Good blade, though it needs honing often.',
      'Nice knife, the block it came with is flimsy.',
    ],
    neg: [
      'Dull after one week of use.',
      'Rust spots appeared after {duration}.',
      'The handle came loose from the blade.',
      'The tip chipped on the first carrot.',
      'Poorly balanced and uncomfortable.',
    ],
  },
  {
    noun: 'office chair',
    products: ['ErgoFlex Office Chair', 'Atlas Mesh Task Chair', 'Focus Gaming Chair'],
    pos: [
      'My back pain is gone since I switched to this chair.',
      'Comfortable for long work days.',
      'The lumbar support is excellent.',
      'Easy to assemble in about twenty minutes.',
      'The mesh keeps me cool and it looks professional.',
    ],
    mixed: [
      'Comfortable, but the armrests wobble.',
      'Good support, the seat cushion is a bit hard.',
      'Fine chair, assembly instructions were confusing.',
    ],
    neg: [
      'The gas cylinder failed and it sinks all day.',
      'Uncomfortable, my back hurts after an hour.',
      'A wheel snapped off after {duration}.',
      'It squeaks loudly every time I move.',
      'Missing screws and a cracked base on arrival.',
    ],
  },
  {
    noun: 'water bottle',
    products: ['HydroPeak Insulated Bottle', 'Trail 1L Water Bottle', 'Sip Steel Tumbler'],
    pos: [
      'Keeps water ice cold all day.',
      'No leaks even upside down in my bag.',
      'Easy to clean and no plastic taste.',
      'Coffee is still hot hours later.',
      'Fits in my car cup holder perfectly.',
    ],
    mixed: [
      'Keeps things cold, but the lid is hard to open.',
      'Good bottle, the paint chips easily.',
      'Fine, though it is heavier than I expected.',
    ],
    neg: [
      'It leaks all over my bag.',
      'Drinks are warm within an hour, the insulation is bad.',
      'The lid broke after {duration}.',
      'Metallic taste that will not go away.',
      'Dented the first time it fell.',
    ],
  },
  {
    noun: 'tent',
    products: ['Ridgeline 2-Person Tent', 'BaseCamp Family Tent', 'Featherlite Backpacking Tent'],
    pos: [
      'Sets up in minutes, even alone.',
      'Stayed completely dry through a night of heavy rain.',
      'Light enough for long hikes.',
      'Roomy inside with great ventilation.',
      'Sturdy in strong wind.',
    ],
    mixed: [
      'Easy to set up, but a bit cramped for two.',
      'Dry in light rain, I would not trust it in a storm.',
      'Good tent, the stakes are flimsy.',
    ],
    neg: [
      'It leaked badly in the first rain.',
      'A pole snapped on the first night.',
      'Condensation everywhere, we woke up soaked.',
      'Setup is a nightmare and the instructions are useless.',
      'The zipper on the door broke after {duration}.',
    ],
  },
  {
    noun: 'e-reader',
    products: ['PageLight E-Reader', 'Inkwell Paperwhite Reader', 'Folio Mini E-Reader'],
    pos: [
      'The screen is sharp and easy on the eyes.',
      'Battery lasts for weeks.',
      'Light and comfortable to hold in one hand.',
      'The warm light is perfect for reading in bed.',
      'Loading my library was simple.',
    ],
    mixed: [
      'Nice screen, but page turns are slow.',
      'Good reader, the store is annoying.',
      'Fine for novels, bad for PDFs.',
    ],
    neg: [
      'The screen froze and it will not restart.',
      'Ghosting makes the text hard to read.',
      'Stopped charging after {duration}.',
      'The software is slow and crashes often.',
      'The screen cracked inside the case.',
    ],
  },
];

/** A remark a link word can follow: lower the first letter unless it starts a proper noun. */
const lowerFirst = (s) => (/^(I|I'm|I've)\b/.test(s) ? s : s[0].toLowerCase() + s.slice(1));

/** Nouns that take "these … are". */
const PLURAL = /(phones|shoes|earbuds|trainers)$/;

function compose(category, product, tone) {
  const parts = [];
  const subject = chance(0.5) ? category.noun : product.split(' ').slice(-1)[0].toLowerCase();
  const plural = PLURAL.test(subject);
  let opener = fill(pick(OPENERS[tone]))
    .replace('{product}', subject)
    .replace('{this}', plural ? 'these' : 'this')
    .replace('{is}', plural ? 'are' : 'is');
  // Some people shout.
  if (tone !== 'mixed' && chance(0.2)) opener = opener.replace(/\.$/, '!');
  parts.push(opener);
  const remarks = [...category[tone]];
  const links = [...LINKS];
  const howMany = 1 + Math.floor(random() * Math.min(3, remarks.length));
  for (let i = 0; i < howMany; i++) {
    const [remark] = remarks.splice(Math.floor(random() * remarks.length), 1);
    const link = i === 0 ? '' : links.splice(Math.floor(random() * links.length), 1)[0];
    parts.push(link + (link ? lowerFirst(fill(remark)) : fill(remark)));
  }
  // A mixed review names one good and one bad point, as real three-star reviews do.
  if (tone === 'mixed' && chance(0.5)) parts.push('On the plus side, ' + lowerFirst(fill(pick(category.pos))));
  const closer = fill(pick(CLOSERS[tone]));
  if (closer) parts.push(closer);
  return parts.join(' ');
}

const count = Number(values.count);
if (!Number.isInteger(count) || count < 1) throw new RangeError(`--count must be a positive integer, got ${values.count}`);
const lines = [];
for (let i = 1; i <= count; i++) {
  const category = pick(CATEGORIES);
  const product = pick(category.products);
  const rating = drawRating();
  const text = compose(category, product, TONE_BY_RATING[rating]);
  lines.push(JSON.stringify({ id: `r-${String(i).padStart(5, '0')}`, product, rating, text }));
}
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, lines.join('\n') + '\n');
const bytes = Buffer.byteLength(lines.join('\n') + '\n');
process.stderr.write(`wrote ${count} reviews (${bytes} bytes) to ${values.out}\n`);
