/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** `1`: include the mock backend (`?mock`) in a production build, for screenshots. */
  readonly VITE_MOCK?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
