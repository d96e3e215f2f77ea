"""Numbers and codes turned into people's words and tools' formats, in English or French.

The layer just under the front ends: draft personas in words, outreach lists and CRM
import files with the playbook's text and the reasons. Below it, modules return numbers
and codes only.
"""
