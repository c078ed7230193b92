/** examples/emulator-seed.json, the sample the README's command-line walk-through serves. */
export const SAMPLE_SEED = new URL("../../examples/emulator-seed.json", import.meta.url).pathname;
/** Its app and the group where leckie posted. */
export const SAMPLE_APP_ID = 1400000001;
export const SAMPLE_SECRET_KEY = "my-test-key";
export const SAMPLE_GROUP = "@TGS#2C5SZEAEF";
