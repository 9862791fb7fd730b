"""Start pages: the officer's 今日 (Today) and the desk's 总览 (Overview), filled by the other domains' sections."""
