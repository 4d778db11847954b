/** The Admin account of test API servers (see test-admin.mjs). */
export declare const testAdmin: Readonly<{ username: string; password: string }>;
