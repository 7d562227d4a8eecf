/** LinkedIn's "Add to profile" link for a certification (its documented startTask=CERTIFICATION_NAME form). */
const LINKEDIN_ADD_TO_PROFILE = 'https://www.linkedin.com/profile/add';

export interface LinkedInCertification {
  name: string;
  organizationName: string | null;
  issuedAt: Date;
  validUntil: Date | null;
  /** Where anyone can see the credential (its public URL). */
  certUrl: string | null;
  /** The credential's own id, shown as the credential ID on the profile. */
  certId: string | null;
}

/**
 * The URL that opens LinkedIn's add-certification form filled in: name, organisation, issue and expiry month and
 * year (months 1–12, in UTC), credential URL and id. Absent values are left out rather than sent empty.
 */
export function linkedInAddToProfileUrl(certification: LinkedInCertification): string {
  const params = new URLSearchParams({ startTask: 'CERTIFICATION_NAME', name: certification.name });
  if (certification.organizationName) params.set('organizationName', certification.organizationName);
  params.set('issueYear', String(certification.issuedAt.getUTCFullYear()));
  params.set('issueMonth', String(certification.issuedAt.getUTCMonth() + 1));
  if (certification.validUntil) {
    params.set('expirationYear', String(certification.validUntil.getUTCFullYear()));
    params.set('expirationMonth', String(certification.validUntil.getUTCMonth() + 1));
  }
  if (certification.certUrl) params.set('certUrl', certification.certUrl);
  if (certification.certId) params.set('certId', certification.certId);
  return `${LINKEDIN_ADD_TO_PROFILE}?${params.toString()}`;
}
