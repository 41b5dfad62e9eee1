/** The one error vocabulary of the API (DESIGN §3). Each code has its default HTTP status. */
export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  AUTHENTICATION_ERROR: 401,
  AUTHORIZATION_ERROR: 403,
  RESOURCE_NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode] | 422;

export interface ErrorDetail {
  field: string;
  message: string;
}

export interface ApiErrorOptions {
  /** Overrides the code's default status (e.g. 422 for a semantically invalid VALIDATION_ERROR). */
  status?: ErrorStatus;
  details?: ErrorDetail[];
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * The only error services throw on purpose. `onError` renders it as the envelope
 * `{"error": {code, message, details?}, "request_id"}`; anything else becomes INTERNAL_ERROR.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: ErrorStatus;
  readonly details: ErrorDetail[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, message: string, options: ApiErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "ApiError";
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.details = options.details;
    this.headers = options.headers;
  }

  static validation(message: string, details?: ErrorDetail[]): ApiError {
    return new ApiError("VALIDATION_ERROR", message, { details });
  }

  static notFound(entity = "Resource"): ApiError {
    return new ApiError("RESOURCE_NOT_FOUND", `${entity} not found`);
  }

  static unauthenticated(message = "Authentication required"): ApiError {
    return new ApiError("AUTHENTICATION_ERROR", message, {
      headers: { "WWW-Authenticate": 'Bearer realm="api"' },
    });
  }

  static forbidden(message = "You do not have permission to perform this action"): ApiError {
    return new ApiError("AUTHORIZATION_ERROR", message);
  }

  static conflict(message: string, details?: ErrorDetail[]): ApiError {
    return new ApiError("CONFLICT", message, { details });
  }
}
