export { loadGeoLookup, readGeoRanges, GEO_DATA_PACKAGE } from './geo.js';
export type { LoadGeoLookupOptions, LazyGeoLookup } from './geo.js';
