/** A module loaded on first use and kept: every later call returns the same promise (no reloading, no flicker). */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = null; // a failed fetch (a Wi-Fi drop) is retried on the next use
      throw error;
    });
    return loading;
  };
}
