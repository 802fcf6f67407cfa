"""Processes: stopping cleanly on Ctrl-C and SIGTERM, the programs the
engines run (each in a process group of its own), and the one pool of worker
processes the build and batches of copies share.

``interrupts`` depends on nothing of the package (``__main__`` imports it
before anything else); ``workers`` loads the Code in each worker.
"""
