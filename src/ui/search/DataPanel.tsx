import { useFileDrop } from '../shared/useFileDrop';
import { useStore, type TrainingImage } from '../../state/search/store';
import { setImages } from '../../state/search/controller';
import { setState } from '../../state/search/store';
import { loadDefaultImages, readTrainingImage } from '../shared/images';

/** Training data: the bundled images, or the user's own (file pick or drop). */
export function DataPanel() {
  const images = useStore((s) => s.images);
  const error = useStore((s) => s.imagesError);
  const status = useStore((s) => s.status);
  const locked = status === 'running' || status === 'starting' || status === 'paused';

  const addFiles = async (files: FileList | File[]) => {
    const list = [...files];
    if (!list.length) return;
    const ok: TrainingImage[] = [];
    const bad: string[] = [];
    for (const f of list) {
      try {
        ok.push(await readTrainingImage(f, f.name, 'user'));
      } catch (e) {
        bad.push(e instanceof Error ? e.message : String(e));
      }
    }
    if (ok.length) setImages(ok);
    setState({ imagesError: bad.length ? bad.join('; ') : null });
  };
  const drop = useFileDrop((files) => void addFiles(files), !locked);
  const loadDefaults = async () => {
    try {
      setImages(await loadDefaultImages());
    } catch (e) {
      setState({ imagesError: String(e) });
    }
  };

  return (
    <section
      className={`panel data ${drop.over ? 'drop' : ''}`}
      aria-label="training images"
      {...drop.handlers}
    >
      <h2>Training images</h2>
      <p className="small" data-testid="images-summary">
        {images.length
          ? `${images.length} image(s): ${images.map((i) => `${i.name} ${i.image.width}×${i.image.height}`).join(', ')} — split 50/50 into w-train and α-val`
          : 'Default set (astronaut, coffee, chelsea, rocket; public domain, from scikit-image) loads when a run starts.'}
      </p>
      <div className="buttons">
        <label className="button">
          Pick images…
          <input
            type="file"
            accept="image/*"
            multiple
            disabled={locked}
            data-testid="pick-images"
            onChange={(e) => e.target.files && void addFiles(e.target.files)}
          />
        </label>
        <button type="button" onClick={() => void loadDefaults()} disabled={locked}>
          Use default images
        </button>
      </div>
      <p className="muted small">
        …or drop images here. At least 2 (one for w-train, one for α-val).
      </p>
      {error && (
        <p className="error" role="alert" data-testid="images-error">
          {error}
        </p>
      )}
    </section>
  );
}
