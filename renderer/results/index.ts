/** The results panel and its parts. Mount {@link ResultsPanel} with an AnalysisResult. */
export { ResultsPanel, type ResultsPanelProps } from './ResultsPanel';
export { MeasurementTable } from './MeasurementTable';
export { QcBadge } from './QcBadge';
export { ParameterTable } from './ParameterTable';
export { SegmentList, type SegmentListProps, type SegmentRow } from './SegmentList';
export { ColorBar } from './ColorBar';
export { ResultPlot } from './ResultPlot';
export { ExportButtons } from './ExportButtons';
export { measurementLabel, formatValue, type ManifestStrings } from './format';
export { colormapColor, cssGradient, COLORMAP_STOPS } from './colormaps';
