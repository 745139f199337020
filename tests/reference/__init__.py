"""Earlier implementations kept verbatim as the reference a faster one is compared with (same rows, same
figures): each file names the commit it was taken from."""
