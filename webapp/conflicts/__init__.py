"""The conflicts inbox 冲突: a phone's change that met someone else's waits here for a supervisor."""
