/// <reference lib="webworker" />
/** The WebGPU adapter tfjs got: a software one (SwiftShader) is far slower than a real GPU. */
export async function describeAdapter(): Promise<{ adapter?: string; softwareAdapter?: boolean }> {
  try {
    type Info = {
      vendor?: string;
      architecture?: string;
      description?: string;
      isFallbackAdapter?: boolean;
    };
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    const a = (await gpu?.requestAdapter()) as { info?: Info; isFallbackAdapter?: boolean } | null;
    if (!a) return {};
    const info = a.info ?? {};
    const text = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
    const software = info.isFallbackAdapter ?? a.isFallbackAdapter ?? /swiftshader/i.test(text);
    return { adapter: text || 'unknown adapter', softwareAdapter: software };
  } catch {
    return {};
  }
}
