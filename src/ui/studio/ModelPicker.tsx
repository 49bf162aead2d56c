import { loadModelFiles, removeModel, selectModel } from '../../state/studio/studioController';
import { setStudio, useStudio } from '../../state/studio/studioStore';
import { downloadModel } from './modelFiles';

/** Choose the model (bundled, own trained/loaded, or bicubic) and the mode. */
export function ModelPicker() {
  const models = useStudio((s) => s.models);
  const selected = useStudio((s) => s.selected);
  const scale = useStudio((s) => s.bicubicScale);
  const mode = useStudio((s) => s.mode);
  const err = useStudio((s) => s.modelError);
  return (
    <div className="studio-picker">
      <label>
        Model{' '}
        <select
          value={selected}
          onChange={(e) => selectModel(e.target.value)}
          data-testid="studio-model"
        >
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.id.startsWith('bundled:') ? 'bundled: ' : ''}
              {m.name} (x{m.architecture.scale})
            </option>
          ))}
          <option value="bicubic">bicubic</option>
        </select>
      </label>{' '}
      {selected === 'bicubic' && (
        <select
          value={scale}
          data-testid="studio-bicubic-scale"
          onChange={(e) => setStudio({ bicubicScale: Number(e.target.value) as 2 | 3 | 4 })}
        >
          {[2, 3, 4].map((s) => (
            <option key={s} value={s}>
              x{s}
            </option>
          ))}
        </select>
      )}{' '}
      <label className="button-like">
        Load model (model.json + weights.bin)…
        <input
          type="file"
          multiple
          hidden
          accept=".json,.bin"
          data-testid="studio-load-model"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            void loadModelFiles(files);
          }}
        />
      </label>{' '}
      {selected.startsWith('own:') && (
        <button onClick={() => removeModel(selected)}>Forget this model</button>
      )}{' '}
      <label>
        <input
          type="radio"
          checked={mode === 'upscale'}
          onChange={() => setStudio({ mode: 'upscale' })}
          data-testid="mode-upscale"
        />
        upscale
      </label>
      <label>
        <input
          type="radio"
          checked={mode === 'evaluate'}
          onChange={() => setStudio({ mode: 'evaluate' })}
          data-testid="mode-evaluate"
        />
        evaluate (drop an HR image: we shrink it with MATLAB bicubic and score ours vs bicubic)
      </label>
      {err && (
        <div className="studio-error" data-testid="model-error">
          {err}
        </div>
      )}
    </div>
  );
}
export { downloadModel };
