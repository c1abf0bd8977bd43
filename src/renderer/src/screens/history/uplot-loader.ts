/**
 * uPlot and its stylesheet, in one chunk loaded when a chart is first drawn: the overview and
 * the phones that never open History do not download it.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export default uPlot;
