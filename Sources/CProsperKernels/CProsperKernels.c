// The C kernels are all in include/CProsperKernels.h (static inline).
