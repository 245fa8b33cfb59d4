import SteveModel from '@shell/plugins/steve/steve-class';
import { PRODUCT } from '../constants';

/**
 * The base of Harvester's models (harvester-ui-extension v1.7.3 models/harvester.js), written from its behavior:
 * a resource's list and detail pages are Harvester's product routes (`harvester-c-cluster-resource[-namespace]-id`)
 * when it is shown in the Harvester product, else the cluster explorer's, where it opens as YAML.
 */
export default class HarvesterStandinResource extends SteveModel {
  get inHarvesterProduct() {
    return this.$rootGetters['productId'] === PRODUCT;
  }

  get listLocation() {
    return {
      name:   this.inHarvesterProduct ? `${ PRODUCT }-c-cluster-resource` : 'c-cluster-product-resource',
      params: {
        product: this.$rootGetters['productId'], cluster: this.$rootGetters['clusterId'], resource: this.type
      },
    };
  }

  get parentLocationOverride() {
    return this.listLocation;
  }

  get doneRoute() {
    return this.listLocation.name;
  }

  get doneOverride() {
    return this.listLocation;
  }

  get _detailLocation() {
    const prefix = this.inHarvesterProduct ? `${ PRODUCT }-c-cluster-resource` : 'c-cluster-product-resource';
    const location = {
      name:   `${ prefix }${ this.metadata?.namespace ? '-namespace' : '' }-id`,
      params: {
        product:   this.$rootGetters['productId'],
        cluster:   this.$rootGetters['clusterId'],
        resource:  this.type,
        namespace: this.metadata?.namespace,
        id:        this.metadata?.name,
      },
    };

    return this.inHarvesterProduct ? location : { ...location, query: { as: 'yaml' } };
  }

  get forceYaml() {
    return !this.inHarvesterProduct;
  }

  cleanForSave(data) {
    return data;
  }
}
