import { useState, type DragEvent } from 'react';

/**
 * Drag-and-drop of files onto an element: `over` while files hover it (for the highlight), and
 * the handlers to spread on it. `onFiles` gets the dropped files; the browser's default (open
 * the file in the tab) is always prevented, even when `enabled` is false, so a drop on a busy
 * panel does nothing rather than navigate away.
 */
export function useFileDrop(onFiles: (files: File[]) => void, enabled = true) {
  const [over, setOver] = useState(false);
  const handlers = {
    onDragOver: (e: DragEvent) => {
      e.preventDefault();
      setOver(true);
    },
    onDragLeave: () => setOver(false),
    onDrop: (e: DragEvent) => {
      e.preventDefault();
      setOver(false);
      if (enabled) onFiles([...e.dataTransfer.files]);
    },
  };
  return { over, handlers };
}
