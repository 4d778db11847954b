/**
 * @packageDocumentation
 * Registers every ab-elements custom element and installs the theme tokens: the entry of
 * `dist/index.js` and of the self-contained bundle. Each element module also registers itself,
 * so a page that needs one element imports only that module.
 */
import './core/theme.ts';
import './ui/text-field.ts';
import './ui/textarea.ts';
import './ui/validation-summary.ts';
import './ui/color-picker.ts';
import './ui/datetime-range.ts';
import './ui/tag-input.ts';
import './mfa/login.ts';
import './mfa/mfa-verify.ts';
import './mfa/mfa-backup-codes.ts';
import './mfa/mfa-setup.ts';
import './mfa/mfa-manager.ts';
import './mfa/mfa-policy-editor.ts';

export {
  AbTextField,
  textFieldStrings,
  type FieldSize,
  type FieldVariant,
  type TextFieldStrings,
  type TextFieldType,
} from './ui/text-field.ts';
export {
  AbTagInput,
  splitTags,
  suggestionsShownMax,
  tagInputStrings,
  tagLengthMax,
  tagsMax,
  type TagInputStrings,
} from './ui/tag-input.ts';
export type { SuggestionsSource } from './core/suggestions.ts';
export {
  AbTextarea,
  textareaMaxRowsDefault,
  textareaMinRowsDefault,
  textareaStrings,
  type TextareaResize,
  type TextareaStrings,
} from './ui/textarea.ts';
export {
  AbValidationSummary,
  validationSummaryEntriesMax,
  validationSummaryStrings,
  type ValidationSummaryMode,
  type ValidationSummaryStrings,
} from './ui/validation-summary.ts';
export {
  formControlStrings,
  type FormControlStrings,
  type ValidityChangeDetail,
} from './core/form-control.ts';
export {
  validationDebounceMs,
  validatorsMax,
  type ValidationAnswer,
  type Validator,
  type ValidatorResult,
} from './core/validators.ts';
export {
  AbColorPicker,
  colorPalettes,
  colorPickerStrings,
  swatchesMax,
  type ColorPaletteName,
  type ColorPickerStrings,
  type EyeDropperPick,
} from './ui/color-picker.ts';
export type { ColorFormat } from './core/color.ts';
export {
  AbLogin,
  type LoginEventDetail,
  type LoginState,
  type LogoutEventDetail,
  type MfaRequiredEventDetail,
} from './mfa/login.ts';
export {
  AbMfaVerify,
  mfaVerifyStrings,
  type MfaVerifyState,
  type MfaVerifyStrings,
  type VerifiedEventDetail,
} from './mfa/mfa-verify.ts';
export {
  AbMfaBackupCodes,
  backupCodesFewMax,
  mfaBackupCodesStrings,
  type BackupCodesRegeneratedEventDetail,
  type BackupCodesSavedEventDetail,
  type MfaBackupCodesStrings,
} from './mfa/mfa-backup-codes.ts';
export {
  AbMfaSetup,
  groupSecret,
  mfaSetupStrings,
  otpauthLabel,
  secretGroupLength,
  type MfaEnrolledEventDetail,
  type MfaSetupCancelEventDetail,
  type MfaSetupStep,
  type MfaSetupStrings,
} from './mfa/mfa-setup.ts';
export {
  AbMfaManager,
  historyPageSizeDefault,
  historyPageSizeMax,
  historyPagesMax,
  mfaManagerStrings,
  trustedDevicesShownMax,
  type MfaChangedEventDetail,
  type MfaManagerState,
  type MfaManagerStrings,
} from './mfa/mfa-manager.ts';
export {
  AbMfaPolicyEditor,
  mfaPolicyEditorStrings,
  policyEditorRolesDefault,
  type MfaPolicyEditorState,
  type MfaPolicyEditorStrings,
  type MfaPolicyEventDetail,
  type PolicyField,
} from './mfa/mfa-policy-editor.ts';
export type {
  BackupCodeCounts,
  BackupCodes,
  CodeSent,
  MfaStatus,
  Policy,
  PolicyInput,
  PrimaryMethod,
  Verified,
} from './core/mfa-api.ts';
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
export { setStrings } from './core/strings.ts';
export {
  AbDatetimeRange,
  datetimeRangePresetsMax,
  datetimeRangeStrings,
  datetimeRangeTextLengthMax,
  type DatetimeRangePreset,
  type DatetimeRangePresetContext,
  type DatetimeRangePresetEnd,
  type DatetimeRangePresentation,
  type DatetimeRangeStrings,
} from './ui/datetime-range.ts';
