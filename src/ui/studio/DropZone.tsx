import { useEffect, useRef } from 'react';
import { queueUpscales, reportInputError } from '../../state/studio/studioController';
import { useFileDrop } from '../shared/useFileDrop';
import { readStudioInput } from './inputFile';

/** Read files one by one: a bad file gets its message, the good ones are queued. */
async function acceptFiles(files: { blob: Blob; name: string }[]) {
  const ok = [];
  for (const f of files) {
    try {
      ok.push(await readStudioInput(f.blob, f.name));
    } catch (e) {
      reportInputError(e instanceof Error ? e.message : String(e));
    }
  }
  if (ok.length) queueUpscales(ok);
}

/** Drop, pick or paste images (several at once). */
export function DropZone() {
  const drop = useFileDrop(
    (files) => void acceptFiles(files.map((f) => ({ blob: f, name: f.name }))),
  );
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const onPaste = (ev: ClipboardEvent) => {
      const files = [...(ev.clipboardData?.files ?? [])];
      if (!files.length) return;
      ev.preventDefault();
      void acceptFiles(files.map((f, i) => ({ blob: f, name: f.name || `pasted-${i + 1}.png` })));
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, []);
  return (
    <div
      className={`studio-drop${drop.over ? ' over' : ''}`}
      data-testid="studio-drop"
      {...drop.handlers}
      onClick={() => input.current?.click()}
    >
      Drop PNG / JPEG / WebP / GIF images here, click to pick, or paste (several at once).
      <input
        ref={input}
        type="file"
        accept="image/*"
        multiple
        hidden
        data-testid="studio-pick"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          void acceptFiles(files.map((f) => ({ blob: f, name: f.name })));
        }}
      />
    </div>
  );
}
