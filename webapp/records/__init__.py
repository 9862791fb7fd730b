"""The daily work record 日工作记录表 (R-REC-1) and the supervisor's morning review (R-REC-3): each officer's
day assembled from the domains' work, what they add, submitted offline; read and replied to next morning."""
