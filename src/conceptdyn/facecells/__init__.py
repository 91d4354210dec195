"""Face-responsive neurons: stimulus catalogue (``catalogue``), synthetic recording (``generator``),
NWB I/O and checks (``nwb``), population analysis (``population``, ``analysis``), the associative-memory
model (``model``), figures."""
