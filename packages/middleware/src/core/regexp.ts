/**
 * Escapes text for use inside a regular expression, so it matches itself literally.
 *
 * @example
 * new RegExp(escapeRegExp('/wp-config.php')).test('/wp-config.php'); // true
 * new RegExp(escapeRegExp('a.b')).test('axb');                       // false
 */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
