/**
 * @packageDocumentation
 * Registers every ab-elements custom element and installs the theme tokens: the entry of
 * `dist/index.js` and of the self-contained bundle. Each element module also registers itself,
 * so a page that needs one element imports only that module.
 */
import './core/theme.ts';
import './ui/text-field.ts';
import './mfa/login.ts';

export { AbTextField, type TextFieldType } from './ui/text-field.ts';
export {
  AbLogin,
  type LoginEventDetail,
  type LoginState,
  type LogoutEventDetail,
  type MfaRequiredEventDetail,
} from './mfa/login.ts';
export type { Session, SessionMfa, SessionUser, MfaMethod } from './core/session-api.ts';
export {
  ApiClient,
  getDefaultApiBase,
  setDefaultApiBase,
  type ApiClientOptions,
  type ApiRequestOptions,
} from './core/api-client.ts';
export {
  NetworkError,
  ProblemError,
  type FieldProblem,
  type ProblemDetails,
} from './core/api-errors.ts';
export { installTheme, uninstallTheme } from './core/theme.ts';
