/** examples/emulator-seed.json, the sample the README's command-line walk-through serves. */
export const SAMPLE_SEED = new URL("../../examples/emulator-seed.json", import.meta.url).pathname;
/** Its app and the group where leckie posted. */
export const SAMPLE_APP_ID = 1400000001;
export const SAMPLE_SECRET_KEY = "my-test-key";
export const SAMPLE_GROUP = "@TGS#2C5SZEAEF";

/** The environment that makes the command line call `endpoint` as the sample app's administrator. */
export function sampleAppEnv(endpoint: string): NodeJS.ProcessEnv {
  return {
    TENCENT_CHAT_SECRET_KEY: SAMPLE_SECRET_KEY,
    TENCENT_CHAT_SDK_APP_ID: String(SAMPLE_APP_ID),
    TENCENT_CHAT_ENDPOINT: endpoint,
  };
}
