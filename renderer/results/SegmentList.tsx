import { useT } from '../i18n/i18n';
import { hexToRgb, rgbToHex } from './colormaps';

/** One row of the segment list. */
export interface SegmentRow {
  label: number;
  name: string;
  color: [number, number, number];
  visible: boolean;
}

/** Props of {@link SegmentList}: data plus callbacks (the panel wires them to the viewer store). */
export interface SegmentListProps {
  title: string;
  segments: SegmentRow[];
  opacity: number;
  onVisibility(label: number, visible: boolean): void;
  onColor(label: number, color: [number, number, number]): void;
  onOpacity(opacity: number): void;
}

/** Segments of one labelmap: visibility checkbox, colour picker, and the labelmap's fill opacity. */
export function SegmentList({
  title,
  segments,
  opacity,
  onVisibility,
  onColor,
  onOpacity,
}: SegmentListProps) {
  const t = useT();
  return (
    <fieldset className="segment-list" data-testid="segment-list">
      <legend>{title}</legend>
      <ul>
        {segments.map((s) => (
          <li key={s.label} data-label={s.label}>
            <label>
              <input
                type="checkbox"
                checked={s.visible}
                aria-label={t('results.segment.visible', { name: s.name })}
                onChange={(e) => onVisibility(s.label, e.currentTarget.checked)}
              />
              <span className="segment-swatch" style={{ background: rgbToHex(s.color) }} aria-hidden="true" />
              {s.name}
            </label>
            <input
              type="color"
              value={rgbToHex(s.color)}
              aria-label={t('results.segment.color', { name: s.name })}
              onChange={(e) => {
                const c = hexToRgb(e.currentTarget.value);
                if (c) onColor(s.label, c);
              }}
            />
          </li>
        ))}
      </ul>
      <label className="segment-opacity">
        {t('results.opacity')}
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={opacity}
          onChange={(e) => onOpacity(Number(e.currentTarget.value))}
        />
        <output>{Math.round(opacity * 100)}%</output>
      </label>
    </fieldset>
  );
}
