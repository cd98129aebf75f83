/** Types of coturnConfig.cjs, for the TypeScript tests and benchmarks that start a real coturn. */
export declare const CONFIG_FILE: string;
export declare function coturnConfig(
  settings: Record<string, string | string[] | boolean | null>,
): string;
