export interface VendorCredential {
  /** The client factory's option name (`corpId`). */
  option: string;
  /** The name on the wire (`corpid`). */
  wire: string;
  /** False for extra credentials of static-credential vendors (a second key). */
  required: boolean;
  /** The environment variable the demo and the docs read it from (`WECOM_CORP_ID`). */
  env: string;
}

export interface Vendor {
  /** The short name (`x-scrm-vendor`): URL prefix in the sandbox, folder names, package names. */
  name: string;
  /** `info.x-scrm-display-name` (falls back to `info.title`). */
  displayName: string;
  /** `info.x-scrm-display-order`: where the vendor comes in every list (the registry is sorted by it, then by name). */
  displayOrder: number | undefined;
  /** Absolute path of `specs/<vendor>`. */
  specDir: string;
  /** `@scrm-openapi/<vendor>-spec`. */
  specPackage: string;
  /** Absolute path of the client package folder, when there is one. */
  packageDir: string | undefined;
  /** `@scrm-openapi/<vendor>`, when the client package exists. */
  clientPackage: string | undefined;
  /** `create<Vendor>Client`. */
  factory: string;
  /** `create<Vendor>Callback` (exported by `<clientPackage>/callback` when the vendor has callbacks). */
  callbackFactory: string;
  /** From `x-scrm-auth.credentials`. */
  credentials: VendorCredential[];
  /** From `x-scrm-sandbox.credentials`: client options the sandbox accepts. */
  sandboxCredentials: Record<string, string>;
}

export declare const REPO_ROOT: string;
export declare function workspaceDirs(root?: string): string[];
export declare function listVendors(root?: string): Vendor[];
export declare const vendors: readonly Vendor[];
export declare const vendorNames: readonly string[];
export declare function vendor(name: string): Vendor;
export declare function bundledSpec(vendor: string | Vendor): Record<string, any>;
export declare function countOperations(spec: { paths?: object; webhooks?: object }): { operations: number; webhooks: number };
export declare function parameterlessGet(spec: Record<string, any>): string;
