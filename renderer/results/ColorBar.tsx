import { useLocale } from '../i18n/i18n';
import { cssGradient, type ColormapName } from './colormaps';
import { formatValue } from './format';

/** A horizontal colour bar for a parametric map: gradient, low/mid/high values and the unit. */
export function ColorBar({
  colormap,
  range,
  unit,
  label,
}: {
  colormap: ColormapName;
  range: [number, number];
  unit: string;
  label?: string;
}) {
  const locale = useLocale((s) => s.locale);
  const [lo, hi] = range;
  const fmt = (v: number) => formatValue(v, locale) ?? '';
  return (
    <figure className="color-bar" data-testid="color-bar" data-colormap={colormap}>
      {label && <figcaption>{label}</figcaption>}
      <div
        className="color-bar-gradient"
        style={{ background: cssGradient(colormap), height: 12 }}
        role="img"
        aria-label={`${colormap} ${fmt(lo)}–${fmt(hi)} ${unit}`}
      />
      <div className="color-bar-ticks" style={{ display: 'flex', justifyContent: 'space-between' }}>
        <span>{fmt(lo)}</span>
        <span>{fmt((lo + hi) / 2)}</span>
        <span>
          {fmt(hi)} {unit === '1' ? '' : unit}
        </span>
      </div>
    </figure>
  );
}
