/** Service-wide settings that must survive restarts (not per site). */
export interface SettingsStore {
  /**
   * The stored value of `name`; when there is none, stores `create()` and returns it. Atomic: two
   * processes starting at once both get the value that was stored first.
   *
   * @example
   * const secret = await store.settingOrCreate('dashboard.sessionSecret', () => randomBase64(32));
   */
  settingOrCreate(name: string, create: () => string): Promise<string>;
  /**
   * The stored value of `name`, or null; never creates it.
   *
   * @example
   * const revoked = (await store.setting(`dashboard.signedOut.${sessionId}`)) !== null;
   */
  setting(name: string): Promise<string | null>;
  /**
   * Deletes the settings whose name starts with `prefix` stored before `createdBefore` (epoch ms);
   * returns how many. For records that only matter for a while, such as sign-outs.
   *
   * @example
   * await store.deleteSettings('dashboard.signedOut.', Date.now() - 8 * 3_600_000);
   */
  deleteSettings(prefix: string, createdBefore: number): Promise<number>;
}
