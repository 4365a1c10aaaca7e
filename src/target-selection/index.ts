/** Target selection: which runtime to plan and apply against, and the project id. */
export { DEFAULT_RUNTIME_URL, resolveTarget } from './resolve-target.js';
export type { ResolveTargetOptions, Target, TargetSource, TargetTls } from './resolve-target.js';
export { findProjectRoot, loadProjectFile, PROJECT_FILE_NAME, PROJECT_SCHEMA_PATH } from './project-file.js';
export type { ProjectFile, ProjectRoot, RuntimeSettings } from './project-file.js';
export { TARGET_ERROR_CODES, TargetError, formatProblem } from './target-error.js';
export type { TargetErrorCode, TargetProblem } from './target-error.js';
export { readClientTls } from './tls-files.js';
export type { ClientTlsMaterial } from './tls-files.js';
