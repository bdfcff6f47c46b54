/** An expected failure with the contract's error shape. Thrown, mapped in one `onError`. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429,
    readonly code: string,
    message: string,
    readonly fields?: Readonly<Record<string, string>>,
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields && { fields: this.fields }),
      },
    };
  }
}

export const unauthorized = () =>
  new ApiError(401, "unauthorized", "Sign in first.");
export const forbidden = () =>
  new ApiError(403, "forbidden", "You are not allowed to do that.");
export const notFound = (what = "That") =>
  new ApiError(404, "not_found", `${what} was not found.`);
export const invalidFields = (fields: Record<string, string>) =>
  new ApiError(422, "validation_failed", "Some fields are not valid.", fields);
