# memlab-grade on Gradescope: what setup.sh and run_autograder read.
# A Debian mirror's URI (the teacher's choice; none is written here).
MEMLAB_MIRROR=
# Its security archive, for a kernel of bookworm-security or bullseye-security.
MEMLAB_SECURITY_MIRROR=
# The kernel to grade on: an id of memlab's kernels/kernels.conf.
MEMLAB_KERNEL=6.12
# A rubric of your own, relative to the bundle's root (default: memlab's).
MEMLAB_RUBRIC=
