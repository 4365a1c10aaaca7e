/** Where pipeline files are read from when no paths are given. */
export const DEFAULT_PIPELINE_PATHS = ['pipelines'];
