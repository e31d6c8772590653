"""The organisation's medarbejder- og ledelsesgrundlag: data, import and pages."""
