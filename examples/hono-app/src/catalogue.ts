/** A tiny in-memory catalogue, so the example has real pages to serve. */
export interface Product {
  id: number;
  name: string;
  priceYen: number;
}

const NAMES = ['Teapot', 'Bento box', 'Chopsticks', 'Furoshiki', 'Sake cup', 'Tenugui', 'Incense', 'Fan'];

/** Products 1..48. */
export const PRODUCTS: readonly Product[] = Array.from({ length: 48 }, (_, i) => ({
  id: i + 1,
  name: `${NAMES[i % NAMES.length]} no. ${Math.floor(i / NAMES.length) + 1}`,
  priceYen: 800 + ((i * 370) % 5000),
}));

/** The demo account: any other username or password is answered 401. */
export const DEMO_USER = { username: 'demo', password: 'demo' } as const;
