/** Types of mediasoupWorkerCache.cjs, for the server that runs the worker and its tests. */
export declare function hasWorkerRecipe(projectRoot: string): boolean;
export declare function workerRecipeHash(projectRoot: string): string;
export declare function cachedWorkerBinary(
  env: NodeJS.ProcessEnv,
  home: string,
  version: string,
  recipeHash: string,
): string;
