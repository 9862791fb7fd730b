"""Residents 业户沟通: home and phone visits against their quotas (R-VIS-1…5) and the register of what
residents raise — repairs, complaints, suggestions, inquiries, challenges, requests for help, neighbour
disputes, violations — each a case followed to resolution (R-REQ-1)."""
