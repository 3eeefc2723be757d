/** Peak RSS of the calling process in MiB (VmHWM where the kernel has it, else getrusage maxrss). */
export function peakRssMiB(): number
