/**
 * The base of pipectl's error classes whose code is given when thrown (`new DataPlaneError('PIPECTL_LOG_CLOSED', …)`):
 * one place for what every such class did by hand — keep the code, pass the cause, name the error after its class
 * (what stack traces and logs show). An area declares its class in one line: `class XError extends CodedError<XCode> {}`.
 */
import type { PipectlCode } from './codes.js';

export class CodedError<Code extends PipectlCode> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
